namespace PatientJourney.Contracts.Diagnosis;

/// <summary>One rule of a protocol: an item kind repeats every IntervalMonths while years since the plan start are in [FromYear, ToYear).</summary>
public sealed record ProtocolRule(string Kind, int IntervalMonths, int FromYear = 0, int? ToYear = null);

/// <summary>
/// A surveillance protocol is data: adding one is adding rules here, not code. One definition for the diagnosis department
/// (which kinds a plan opens, to tell an open item from none) and the journey (when each item is due).
/// </summary>
public sealed record SurveillanceProtocol(string Id, IReadOnlyList<ProtocolRule> Rules)
{
    public string? Title { get; init; }
    /// <summary>The guideline it follows, when there is one.</summary>
    public GuidelineSource? Source { get; init; }

    public IEnumerable<string> Kinds => Rules.Select(r => r.Kind).Distinct();

    /// <summary>The interval in force for an item whose clock starts at <paramref name="anchor"/>.</summary>
    public int IntervalMonthsAt(string kind, DateOnly startsOn, DateOnly anchor)
    {
        var years = Years.WholeBetween(startsOn, anchor);
        var rules = Rules.Where(r => r.Kind == kind).ToList();
        var rule = rules.FirstOrDefault(r => years >= r.FromYear && (r.ToYear is null || years < r.ToYear)) ?? rules[^1];
        return rule.IntervalMonths;
    }

}

public static class SurveillanceProtocols
{
    /// <summary>The protocols in force: the published ones and the hospital's (<see cref="SurveillanceCatalogue.Current"/>).</summary>
    public static IReadOnlyDictionary<string, SurveillanceProtocol> ById => SurveillanceCatalogue.Current.Protocols;

    public static readonly IReadOnlyDictionary<string, SurveillanceProtocol> Published = new[]
    {
        // The seed case's plan: CT every 3 months and a clinic visit every month, open-ended.
        new SurveillanceProtocol(SurveillanceProtocolIds.CtEvery3MonthsVisitsMonthly,
        [
            new ProtocolRule(SurveillanceItemKinds.Ct, 3),
            new ProtocolRule(SurveillanceItemKinds.ClinicVisit, 1),
        ]) { Title = "CT every 3 months and a clinic visit every month" },
        // ESMO-EURACAN soft-tissue sarcoma guideline (Gronchi et al., Ann Oncol 2021), high grade:
        // imaging and visit every 3 months in years 1-3, every 6 in years 4-5, yearly after.
        new SurveillanceProtocol(SurveillanceProtocolIds.EsmoSoftTissueSarcomaHighGrade,
        [
            new ProtocolRule(SurveillanceItemKinds.Ct, 3, 0, 3), new ProtocolRule(SurveillanceItemKinds.Ct, 6, 3, 5), new ProtocolRule(SurveillanceItemKinds.Ct, 12, 5),
            new ProtocolRule(SurveillanceItemKinds.ClinicVisit, 3, 0, 3), new ProtocolRule(SurveillanceItemKinds.ClinicVisit, 6, 3, 5), new ProtocolRule(SurveillanceItemKinds.ClinicVisit, 12, 5),
        ])
        {
            Title = "High-grade soft-tissue sarcoma: imaging and visit every 3 months for 3 years, every 6 to 5 years, yearly after",
            Source = new GuidelineSource("Gronchi A et al. Soft tissue and visceral sarcomas: ESMO-EURACAN-GENTURIS Clinical Practice Guidelines. Ann Oncol 2021;32:1348-1365",
                "Follow-up of high-grade soft-tissue sarcoma", "Expert opinion: the guideline notes that no trial defines the schedule"),
        },
    }.ToDictionary(p => p.Id, StringComparer.Ordinal);
}
