namespace PatientJourney.Contracts.Diagnosis;

/// <summary>What an exposure rule's trigger measures; the journey computes each from the patient's facts in clinical order.</summary>
public static class ExposureTriggerKinds
{
    /// <summary>
    /// The day the patient's cumulative doxorubicin-equivalent (every anthracycline with a published ratio, systemic and
    /// locoregional: the total the journey's flags read) first reaches <see cref="ExposureTrigger.AtLeastMgPerM2"/>.
    /// </summary>
    public const string CumulativeDoxorubicinEquivalent = "cumulative-doxorubicin-equivalent";

    /// <summary>
    /// The day of the last anthracycline dose (a cycle or a TACE), once no regimen that gave one is still running (it was
    /// stopped, or a surveillance plan started after its last cycle), with the cumulative total then in the trigger's band.
    /// </summary>
    public const string AnthracyclineTherapyEnded = "anthracycline-therapy-ended";

    public static readonly IReadOnlyList<string> All = [CumulativeDoxorubicinEquivalent, AnthracyclineTherapyEnded];
}

/// <summary>A trigger: its kind and the band of cumulative doxorubicin-equivalent mg/m2 it needs, [AtLeast, Below).</summary>
public sealed record ExposureTrigger(string Kind, decimal AtLeastMgPerM2, decimal? BelowMgPerM2 = null);

/// <summary>An interval in force while whole years since the trigger are in [FromYear, ToYear).</summary>
public sealed record RuleInterval(int IntervalMonths, int FromYear = 0, int? ToYear = null);

/// <summary>
/// The items a rule opens: the first due <see cref="FirstDueMonths"/> after the trigger, each next one an interval after
/// the one performed; no interval: a single item.
/// </summary>
public sealed record RuleItem(string Kind, int FirstDueMonths, IReadOnlyList<RuleInterval> Intervals)
{
    public bool Repeats => Intervals.Count > 0;

    /// <summary>The interval in force for an item whose clock starts at <paramref name="anchor"/>.</summary>
    public int IntervalMonthsAt(DateOnly triggeredOn, DateOnly anchor)
    {
        var years = Years.WholeBetween(triggeredOn, anchor);
        return (Intervals.FirstOrDefault(i => years >= i.FromYear && (i.ToYear is null || years < i.ToYear)) ?? Intervals[^1]).IntervalMonths;
    }
}

/// <summary>Where a rule comes from: the guideline, its section, and the strength it gives the recommendation.</summary>
public sealed record GuidelineSource(string Citation, string Section, string Evidence);

/// <summary>Ages in whole years at the first anthracycline dose, [FromYears, BelowYears); a patient of unknown age is taken as an adult.</summary>
public sealed record AgeBand(int? FromYears = null, int? BelowYears = null)
{
    public bool Includes(int? age) => age is { } years
        ? (FromYears is null || years >= FromYears) && (BelowYears is null || years < BelowYears)
        : BelowYears is null;
}

/// <summary>
/// Surveillance opened by what the patient was exposed to, beside the plan's protocol: a trigger the journey computes,
/// the items it opens, and the guideline section it comes from. Data, like the protocols: a hospital adds its own by
/// configuration (<see cref="SurveillanceCatalogue"/>).
/// </summary>
public sealed record ExposureRule(string Id, string Title, ExposureTrigger Trigger, IReadOnlyList<RuleItem> Items, GuidelineSource Source)
{
    public AgeBand AgeAtFirstExposure { get; init; } = new();
}

public static class ExposureRules
{
    public const string EscAnthracyclineCumulative250 = "esc-2022-anthracycline-250";
    public const string EscAnthracyclineSurvivorHighRisk = "esc-2022-anthracycline-survivor-high-risk";
    public const string IghgAnthracyclineSurvivorHigh = "cog-ighg-anthracycline-250";
    public const string IghgAnthracyclineSurvivorModerate = "cog-ighg-anthracycline-100";

    private const string Esc = "Lyon AR, López-Fernández T, et al. 2022 ESC Guidelines on cardio-oncology. Eur Heart J 2022;43:4229-4361";
    private const string Ighg = "Children's Oncology Group Long-Term Follow-Up Guidelines v6.0 (2023), harmonised with the IGHG cardiomyopathy surveillance recommendations: Ehrhardt MJ et al., Lancet Oncol 2023;24:e108-e120 (update of Armenian SH et al., Lancet Oncol 2015;16:e123-e136)";

    private static readonly AgeBand Adults = new(FromYears: 18);
    private static readonly AgeBand Children = new(BelowYears: 18);

    /// <summary>Adults follow the ESC guideline; patients first exposed as children follow COG/IGHG, whatever their age now.</summary>
    public static readonly IReadOnlyList<ExposureRule> Published =
    [
        new(EscAnthracyclineCumulative250, "Echocardiogram once the cumulative anthracycline dose reaches 250 mg/m2",
            new ExposureTrigger(ExposureTriggerKinds.CumulativeDoxorubicinEquivalent, 250m),
            [new RuleItem(SurveillanceItemKinds.Echocardiogram, 0, [])],
            new GuidelineSource(Esc, "Section 5.2, anthracycline chemotherapy: TTE monitoring during treatment (additional TTE after a cumulative dose of 250 mg/m2 doxorubicin or equivalent)",
                "Class IIa, level C (moderate baseline risk); IIb, C (low); high-risk patients are monitored every two cycles"))
        { AgeAtFirstExposure = Adults },
        new(EscAnthracyclineSurvivorHighRisk, "Echocardiograms at 1, 3 and 5 years after anthracyclines, then every 5 years (cumulative 250 mg/m2 or more)",
            new ExposureTrigger(ExposureTriggerKinds.AnthracyclineTherapyEnded, 250m),
            [new RuleItem(SurveillanceItemKinds.Echocardiogram, 12, [new RuleInterval(24, 0, 5), new RuleInterval(60, 5)])],
            new GuidelineSource(Esc, "Section 7, end-of-treatment assessment (TTE 12 months after anthracyclines), and section 8, long-term follow-up of asymptomatic high- and very-high-risk adult survivors (250 mg/m2 or more: TTE at 1, 3 and 5 years, then every 5 years)",
                "Class I, level B (12 months); IIa, C (long-term)"))
        { AgeAtFirstExposure = Adults },
        new(IghgAnthracyclineSurvivorHigh, "Echocardiogram every 2 years from 2 years after anthracyclines (cumulative 250 mg/m2 or more, first exposed before 18)",
            new ExposureTrigger(ExposureTriggerKinds.AnthracyclineTherapyEnded, 250m),
            [new RuleItem(SurveillanceItemKinds.Echocardiogram, 24, [new RuleInterval(24)])],
            new GuidelineSource(Ighg, "Cardiomyopathy (anthracyclines): surveillance by echocardiography, high dose (250 mg/m2 doxorubicin isotoxic equivalent or more)",
                "Recommended (IGHG 2015, table 4; high-quality evidence of risk)"))
        { AgeAtFirstExposure = Children },
        new(IghgAnthracyclineSurvivorModerate, "Echocardiogram every 5 years from 2 years after anthracyclines (cumulative 100 to under 250 mg/m2, first exposed before 18)",
            new ExposureTrigger(ExposureTriggerKinds.AnthracyclineTherapyEnded, 100m, 250m),
            [new RuleItem(SurveillanceItemKinds.Echocardiogram, 24, [new RuleInterval(60)])],
            new GuidelineSource(Ighg, "Cardiomyopathy (anthracyclines): surveillance by echocardiography, moderate dose (100 to under 250 mg/m2)",
                "Reasonable (IGHG 2015, table 4)"))
        { AgeAtFirstExposure = Children },
    ];
}

/// <summary>
/// The protocols and exposure rules this process schedules from: the published ones and the hospital's (configured at
/// start, the same for every service of a deployment). A schedule is a function of a patient's facts and this catalogue.
/// </summary>
public sealed class SurveillanceCatalogue
{
    private static SurveillanceCatalogue current = new(SurveillanceProtocols.Published.Values, ExposureRules.Published);

    public IReadOnlyDictionary<string, SurveillanceProtocol> Protocols { get; }
    public IReadOnlyList<ExposureRule> Rules { get; }

    public SurveillanceCatalogue(IEnumerable<SurveillanceProtocol> protocols, IEnumerable<ExposureRule> rules)
    {
        Protocols = protocols.ToDictionary(p => p.Id, StringComparer.Ordinal);
        Rules = rules.ToList();
    }

    public static SurveillanceCatalogue Published { get; } = new(SurveillanceProtocols.Published.Values, ExposureRules.Published);

    /// <summary>The catalogue in force: set once when the host starts, before any event is read.</summary>
    public static SurveillanceCatalogue Current
    {
        get => Volatile.Read(ref current);
        set => Volatile.Write(ref current, value);
    }

    /// <summary>This catalogue and the hospital's additions; an id already known is refused.</summary>
    public SurveillanceCatalogue With(IEnumerable<SurveillanceProtocol> protocols, IEnumerable<ExposureRule> rules)
    {
        var addedProtocols = protocols.ToList();
        var addedRules = rules.ToList();
        foreach (var p in addedProtocols)
            if (Protocols.ContainsKey(p.Id) || addedProtocols.Count(o => o.Id == p.Id) > 1) throw new InvalidOperationException($"Protocol '{p.Id}' is defined twice");
        foreach (var r in addedRules)
            if (Rules.Any(o => o.Id == r.Id) || addedRules.Count(o => o.Id == r.Id) > 1) throw new InvalidOperationException($"Exposure rule '{r.Id}' is defined twice");
        return new SurveillanceCatalogue(Protocols.Values.Concat(addedProtocols), Rules.Concat(addedRules));
    }

    /// <summary>What is wrong with a rule for the engine, one message per field (empty when it can be computed).</summary>
    public static IReadOnlyList<(string Field, string Message)> Problems(ExposureRule rule)
    {
        var v = new FieldValidation();
        v.Required(rule.Id, "id", ClinicalLimits.Id);
        v.Required(rule.Title, "title", ClinicalLimits.MediumText);
        if (rule.Trigger is null) v.Add("trigger", "is required");
        else
        {
            if (!ExposureTriggerKinds.All.Contains(rule.Trigger.Kind)) v.Add("trigger.kind", $"must be one of {string.Join(", ", ExposureTriggerKinds.All)}");
            if (rule.Trigger.AtLeastMgPerM2 <= 0m) v.Add("trigger.atLeastMgPerM2", "must be above 0");
            if (rule.Trigger.BelowMgPerM2 is { } below && below <= rule.Trigger.AtLeastMgPerM2) v.Add("trigger.belowMgPerM2", "must be above atLeastMgPerM2");
        }
        if (v.Required(rule.Items, "items"))
            v.Each(rule.Items, "items", (item, f) =>
            {
                if (!SurveillanceItemKinds.Repeating.Contains(item.Kind)) v.Add($"{f}.kind", $"must be one of {string.Join(", ", SurveillanceItemKinds.Repeating)}");
                v.Range(item.FirstDueMonths, $"{f}.firstDueMonths", 0, 600);
                v.Each(item.Intervals ?? [], $"{f}.intervals", (i, g) =>
                {
                    v.Range(i.IntervalMonths, $"{g}.intervalMonths", ClinicalLimits.OverrideIntervalMonths);
                    if (i.FromYear < 0) v.Add($"{g}.fromYear", "must not be negative");
                    if (i.ToYear is { } to && to <= i.FromYear) v.Add($"{g}.toYear", "must be after fromYear");
                });
            });
        if (rule.Source is null || string.IsNullOrWhiteSpace(rule.Source.Citation)) v.Add("source.citation", "is required: a rule says where it comes from");
        if (rule.AgeAtFirstExposure is { FromYears: { } from, BelowYears: { } until } && until <= from) v.Add("ageAtFirstExposure.belowYears", "must be above fromYears");
        return v.Errors.SelectMany(e => e.Value.Select(m => (e.Key, m))).ToList();
    }
}

public static class Years
{
    public static int WholeBetween(DateOnly from, DateOnly to)
    {
        var years = to.Year - from.Year;
        return from.AddYears(years) > to ? years - 1 : years;
    }
}
