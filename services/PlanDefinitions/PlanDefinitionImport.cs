using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using static PatientJourney.PlanDefinitions.PlanDefinitionCodes;

namespace PatientJourney.PlanDefinitions;

/// <summary>What the engine reads in a PlanDefinition: a protocol (no trigger) or an exposure rule (one triggered action).</summary>
public sealed record PlanDefinitionReading(SurveillanceProtocol? Protocol, ExposureRule? Rule)
{
    public string Id => Protocol?.Id ?? Rule!.Id;
}

/// <summary>The reading, or what stops the engine from computing it: (FHIR path, message) pairs.</summary>
public sealed record PlanDefinitionImportResult(PlanDefinitionReading? Reading, IReadOnlyList<(string Field, string Message)> Problems)
{
    public bool Succeeded => Reading is not null;
}

/// <summary>
/// A PlanDefinition's JSON read back into the catalogue's shape: parsed strictly, validated against R4 core, then mapped
/// the way <see cref="PlanDefinitionExport"/> writes it. Anything the engine cannot compute is refused, naming its path:
/// a trigger it does not compute, a kind it does not schedule, an action without a Timing every whole number of months.
/// </summary>
public static partial class PlanDefinitionImport
{
    private static readonly FhirJsonDeserializer Strict = FhirJsonDeserializer.STRICT;

    public static PlanDefinitionImportResult Read(string json)
    {
        if (ResourceTypeOf(json) is { } wrong) return Refused([wrong]);
        PlanDefinition plan;
        try
        {
            if (!Strict.TryDeserializeResource(json, out var resource, out var issues))
                return Refused(issues.Select(i => (Field: i is ExtendedCodedException { InstancePath: { Length: > 0 } path } ? Relative(path) : "body", i.Message)).ToList());
            if (resource is not PlanDefinition parsed) return Refused([("resourceType", "must be PlanDefinition")]);
            plan = parsed;
            var invalid = R4CoreValidation.Errors(plan);
            if (invalid.Count > 0) return Refused(invalid.Select(e => (Relative(e.Path), e.Message)).ToList());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A parser's or validator's failure on content that passed the JSON check is still the content's fault: never a 5xx.
            return Refused([("body", $"is not FHIR R4 JSON: {e.Message}")]);
        }
        return Read(plan);
    }

    /// <summary>Content that is no JSON object, or no PlanDefinition, refused before FHIR parsing names what it is.</summary>
    private static (string, string)? ResourceTypeOf(string json)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object) return ("body", "must be a JSON object: a PlanDefinition");
            return document.RootElement.TryGetProperty("resourceType", out var type) && type.ValueKind == System.Text.Json.JsonValueKind.String && type.GetString() == "PlanDefinition"
                ? null : ("resourceType", "must be PlanDefinition");
        }
        catch (System.Text.Json.JsonException e) { return ("body", $"is not JSON: {e.Message}"); }
    }

    /// <summary>The mapping alone, for a PlanDefinition already parsed and valid.</summary>
    public static PlanDefinitionImportResult Read(PlanDefinition plan)
    {
        var problems = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(plan.Id)) problems.Add(("id", "is required: the protocol's or rule's id"));
        else if (plan.Id.Length > ClinicalLimits.Id) problems.Add(("id", $"must be at most {ClinicalLimits.Id} characters"));
        var source = SourceOf(plan, problems);
        if (plan.Action.Count == 0) return Refused([.. problems, ("action", "is required: one action a kind and interval")]);
        var reading = plan.Action.Any(a => a.Trigger.Count > 0) ? ReadRule(plan, source, problems) : ReadProtocol(plan, source, problems);
        return problems.Count > 0 ? Refused(problems) : new PlanDefinitionImportResult(reading, []);
    }

    private static PlanDefinitionReading ReadProtocol(PlanDefinition plan, GuidelineSource? source, List<(string, string)> problems)
    {
        var rules = new List<ProtocolRule>();
        for (var i = 0; i < plan.Action.Count; i++)
        {
            var path = $"action[{i}]";
            if (plan.Action[i].Action.Count > 0) problems.Add(($"{path}.action", "a protocol's action has no sub-actions"));
            if (ReadBand(plan.Action[i], path, problems) is not { } band) continue;
            if (band.FirstDueMonths is not null) problems.Add(($"{path}.timingTiming.extension", "a protocol's first item falls due one interval after the start: no first-due"));
            if (band.IntervalMonths is not { } months) problems.Add(($"{path}.timingTiming.repeat", "a protocol's item repeats: period and periodUnit are required"));
            else rules.Add(new ProtocolRule(band.Kind, months, band.FromYear, band.ToYear));
        }
        return new PlanDefinitionReading(new SurveillanceProtocol(plan.Id ?? "", rules) { Title = plan.Title, Source = source }, null);
    }

    private static PlanDefinitionReading ReadRule(PlanDefinition plan, GuidelineSource? source, List<(string, string)> problems)
    {
        if (plan.Action.Count != 1) problems.Add(("action", "a rule has one action: its trigger, its conditions and its items"));
        var action = plan.Action[0];
        ExposureTrigger? trigger = null;
        if (action.Trigger.Count != 1) problems.Add(("action[0].trigger", "a rule has one trigger"));
        else if (action.Trigger[0].Type != TriggerDefinition.TriggerType.NamedEvent) problems.Add(("action[0].trigger[0].type", "must be named-event"));
        else if (!ExposureTriggerKinds.All.Contains(action.Trigger[0].Name))
            problems.Add(("action[0].trigger[0].name", $"'{action.Trigger[0].Name}' is not a trigger the journey computes: one of {string.Join(", ", ExposureTriggerKinds.All)}"));

        (decimal? AtLeast, decimal? Below)? dose = null;
        var age = new AgeBand();
        for (var k = 0; k < action.Condition.Count; k++)
        {
            var condition = action.Condition[k];
            var path = $"action[0].condition[{k}]";
            if (condition.Kind != ActionConditionKind.Applicability) { problems.Add(($"{path}.kind", "must be applicability")); continue; }
            if (condition.Expression?.Language != "text/fhirpath") { problems.Add(($"{path}.expression.language", "must be text/fhirpath")); continue; }
            if (Band(condition.Expression.Expression_) is not { } band)
            {
                problems.Add(($"{path}.expression.expression", $"must be '%{CumulativeDoseVariable} >= n [and %{CumulativeDoseVariable} < m]' or the same over %{AgeVariable}"));
                continue;
            }
            if (band.Variable == CumulativeDoseVariable && band.AtLeast is not null) dose = (band.AtLeast, band.Below);
            else if (band.Variable == AgeVariable && IsWhole(band.AtLeast) && IsWhole(band.Below)) age = new AgeBand((int?)band.AtLeast, (int?)band.Below);
            else problems.Add(($"{path}.expression.expression", $"'{condition.Expression.Expression_}' is not a band the journey computes"));
        }
        if (dose is null) problems.Add(("action[0].condition", $"needs the cumulative dose band: %{CumulativeDoseVariable} >= n"));
        if (action.Trigger is [{ Name: { } kind }] && dose is { AtLeast: { } atLeast, Below: var below }) trigger = new ExposureTrigger(kind, atLeast, below);

        var items = ReadItems(action.Action, problems);
        if (string.IsNullOrWhiteSpace(plan.Title)) problems.Add(("title", "is required: a rule says what it opens"));
        if (source is null) problems.Add(("relatedArtifact", "a rule cites its guideline: a relatedArtifact of type citation"));
        var rule = new ExposureRule(plan.Id ?? "", plan.Title ?? "", trigger!, items, source!) { AgeAtFirstExposure = age };
        if (problems.Count == 0)
            problems.AddRange(SurveillanceCatalogue.Problems(rule).Select(p => (PathOf(p.Field), p.Message)));
        return new PlanDefinitionReading(null, rule);
    }

    /// <summary>An action with the first-due extension starts an item; the actions after it of its kind are its later intervals.</summary>
    private static List<RuleItem> ReadItems(List<PlanDefinition.ActionComponent> actions, List<(string, string)> problems)
    {
        var items = new List<RuleItem>();
        if (actions.Count == 0) problems.Add(("action[0].action", "is required: one action a kind and interval"));
        for (var j = 0; j < actions.Count; j++)
        {
            var path = $"action[0].action[{j}]";
            if (ReadBand(actions[j], path, problems) is not { } band) continue;
            var interval = band.IntervalMonths is { } months ? new RuleInterval(months, band.FromYear, band.ToYear) : null;
            if (band.FirstDueMonths is { } first) items.Add(new RuleItem(band.Kind, first, interval is null ? [] : [interval]));
            else if (items is [.., { Repeats: true } last] && last.Kind == band.Kind && interval is not null) items[^1] = last with { Intervals = [.. last.Intervals, interval] };
            else problems.Add(($"{path}.timingTiming.extension", $"an item's first action carries the first-due extension ({FirstDue})"));
        }
        return items;
    }

    private static GuidelineSource? SourceOf(PlanDefinition plan, List<(string, string)> problems)
    {
        var index = plan.RelatedArtifact.FindIndex(a => a.Type == RelatedArtifact.RelatedArtifactType.Citation);
        if (index < 0) return null;
        var citation = plan.RelatedArtifact[index];
        if (string.IsNullOrWhiteSpace(citation.Citation)) { problems.Add(($"relatedArtifact[{index}].citation", "is required: the guideline cited")); return null; }
        var evidence = citation.GetExtension(GuidelineEvidence)?.Value is FhirString { Value: { } text } ? text : "";
        return new GuidelineSource(citation.Citation, citation.Display ?? "", evidence);
    }

    /// <summary>A field of <see cref="SurveillanceCatalogue.Problems"/> as the path of the PlanDefinition it came from.</summary>
    private static string PathOf(string field) => field switch
    {
        "id" or "title" => field,
        _ when field.StartsWith("trigger", StringComparison.Ordinal) => "action[0].condition",
        _ when field.StartsWith("items", StringComparison.Ordinal) => "action[0].action",
        _ when field.StartsWith("source", StringComparison.Ordinal) => "relatedArtifact",
        _ => "action[0].condition",
    };

    /// <summary>"PlanDefinition.action[0].code" as "action[0].code": paths relative to the resource.</summary>
    private static string Relative(string path) => path.StartsWith("PlanDefinition.", StringComparison.Ordinal) ? path["PlanDefinition.".Length..] : path;

    private static PlanDefinitionImportResult Refused(IReadOnlyList<(string, string)> problems) => new(null, problems);
}
