using System.Globalization;
using Hl7.Fhir.Model;
using PatientJourney.Contracts.Diagnosis;
using static PatientJourney.PlanDefinitions.PlanDefinitionCodes;

namespace PatientJourney.PlanDefinitions;

/// <summary>
/// The catalogue's protocols and exposure rules as FHIR R4 PlanDefinitions (clinical-protocol): one action a kind and
/// interval band, timed by a Timing every n months; a rule's actions sit under one action carrying its trigger
/// (named-event) and its applicability conditions (FHIRPath). <see cref="PlanDefinitionImport"/> reads them back.
/// </summary>
public static class PlanDefinitionExport
{
    public static Bundle Collection(SurveillanceCatalogue catalogue) => new()
    {
        Type = Bundle.BundleType.Collection,
        Entry = All(catalogue).Select(p => new Bundle.EntryComponent { FullUrl = p.Url, Resource = p }).ToList(),
    };

    public static IEnumerable<PlanDefinition> All(SurveillanceCatalogue catalogue) =>
        catalogue.Protocols.Values.Select(From).Concat(catalogue.Rules.Select(From));

    /// <summary>The protocol or rule of that id, else null.</summary>
    public static PlanDefinition? ById(SurveillanceCatalogue catalogue, string id) =>
        catalogue.Protocols.TryGetValue(id, out var protocol) ? From(protocol)
        : catalogue.Rules.FirstOrDefault(r => r.Id == id) is { } rule ? From(rule) : null;

    public static PlanDefinition From(SurveillanceProtocol protocol)
    {
        var plan = Plan(protocol.Id, protocol.Title, protocol.Source);
        plan.Action = protocol.Rules.Select(r => Action(r.Kind, r.IntervalMonths, r.FromYear, r.ToYear, firstDueMonths: null)).ToList();
        return plan;
    }

    public static PlanDefinition From(ExposureRule rule)
    {
        var plan = Plan(rule.Id, rule.Title, rule.Source);
        var conditions = new List<PlanDefinition.ConditionComponent> { Applicability(CumulativeDoseVariable, rule.Trigger.AtLeastMgPerM2, rule.Trigger.BelowMgPerM2) };
        if (rule.AgeAtFirstExposure is { FromYears: var from, BelowYears: var below } && (from is not null || below is not null))
            conditions.Add(Applicability(AgeVariable, from, below));
        plan.Action =
        [
            new PlanDefinition.ActionComponent
            {
                Title = rule.Title,
                Trigger = [new TriggerDefinition { Type = TriggerDefinition.TriggerType.NamedEvent, Name = rule.Trigger.Kind }],
                Condition = conditions,
                Action = rule.Items.SelectMany(ItemActions).ToList(),
            },
        ];
        return plan;
    }

    private static IEnumerable<PlanDefinition.ActionComponent> ItemActions(RuleItem item) => item.Intervals.Count == 0
        ? [Action(item.Kind, intervalMonths: null, 0, null, item.FirstDueMonths)]
        : item.Intervals.Select((i, n) => Action(item.Kind, i.IntervalMonths, i.FromYear, i.ToYear, n == 0 ? item.FirstDueMonths : null));

    private static PlanDefinition Plan(string id, string? title, GuidelineSource? source)
    {
        var plan = new PlanDefinition
        {
            Id = id,
            Url = UrlOf(id),
            Name = NameOf(id),
            Title = title,
            Status = PublicationStatus.Active,
            Type = new CodeableConcept(PlanDefinitionTypeSystem, "clinical-protocol"),
        };
        if (source is not null)
        {
            var citation = new RelatedArtifact { Type = RelatedArtifact.RelatedArtifactType.Citation, Citation = source.Citation, Display = source.Section };
            if (!string.IsNullOrEmpty(source.Evidence)) citation.Extension.Add(new Extension(GuidelineEvidence, new FhirString(source.Evidence)));
            plan.RelatedArtifact = [citation];
        }
        return plan;
    }

    /// <summary>No interval: a single item (repeat count 1).</summary>
    private static PlanDefinition.ActionComponent Action(string kind, int? intervalMonths, int fromYear, int? toYear, int? firstDueMonths)
    {
        var timing = new Timing
        {
            Repeat = intervalMonths is { } months
                ? new Timing.RepeatComponent { Frequency = 1, Period = months, PeriodUnit = Timing.UnitsOfTime.Mo }
                : new Timing.RepeatComponent { Count = 1 },
        };
        if (fromYear != 0 || toYear is not null)
            timing.Extension.Add(new Extension(YearsSinceStart, new Hl7.Fhir.Model.Range { Low = Years(fromYear), High = toYear is { } to ? Years(to) : null }));
        if (firstDueMonths is { } first)
            timing.Extension.Add(new Extension(FirstDue, new Duration { Value = first, Unit = "mo", System = "http://unitsofmeasure.org", Code = "mo" }));
        var band = toYear is { } end ? $", years {fromYear}-{end}" : fromYear > 0 ? $", from year {fromYear}" : "";
        return new PlanDefinition.ActionComponent
        {
            Title = intervalMonths is { } every ? $"{kind} every {every} months{band}" : $"{kind} once",
            Code = [Concept(kind)],
            Timing = timing,
        };
    }

    private static Quantity Years(int years) => new() { Value = years, Unit = "a", System = "http://unitsofmeasure.org", Code = "a" };

    /// <summary>[low, high) as FHIRPath over one variable: "%v >= low and %v < high".</summary>
    private static PlanDefinition.ConditionComponent Applicability(string variable, decimal? atLeast, decimal? below)
    {
        var terms = new List<string>();
        if (atLeast is { } low) terms.Add($"%{variable} >= {low.ToString(CultureInfo.InvariantCulture)}");
        if (below is { } high) terms.Add($"%{variable} < {high.ToString(CultureInfo.InvariantCulture)}");
        return new PlanDefinition.ConditionComponent
        {
            Kind = ActionConditionKind.Applicability,
            Expression = new Expression { Language = "text/fhirpath", Expression_ = string.Join(" and ", terms) },
        };
    }

    /// <summary>A computer-friendly name (R4's pattern: a capital, then letters, digits, underscores).</summary>
    private static string NameOf(string id)
    {
        var name = string.Concat(id.Split('-', '.', '_').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
        return name.Length > 0 && char.IsLetter(name[0]) ? name : "P" + name;
    }
}
