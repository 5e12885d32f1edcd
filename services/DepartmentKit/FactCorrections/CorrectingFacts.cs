using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using PatientJourney.Contracts;
using PatientJourney.Hosting;

namespace PatientJourney.DepartmentKit.FactCorrections;

/// <summary>
/// Retracting and amending a fact, at the department that recorded it (contract: "Corrections"). Both are commands like
/// any other (validation, Idempotency-Key, group commit, batch): the correction is decided against the patient's whole
/// record, and an amendment's body is checked and decided by the fact's own command, against what stood when the fact
/// was first recorded, so it is held to every rule a new fact is held to.
/// </summary>
public static class CorrectingFacts
{
    public const string Field = "eventId";

    public static IEndpointRouteBuilder MapDepartmentCorrections(this IEndpointRouteBuilder app, string tag)
    {
        var rule = app.ServiceProvider.GetService<CorrectionRule>();
        // Resolved on first use: by then every command of the department is mapped.
        var commands = new Lazy<IReadOnlyDictionary<Type, (RoutePattern Pattern, PrepareCommand Prepare)>>(() => app.DataSources
            .SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Select(e => (e.RoutePattern, Records: e.Metadata.GetMetadata<RecordsEvent>()?.EventType, e.Metadata.GetMetadata<DepartmentCommandEndpoint>()?.Prepare))
            .Where(c => c.Records is not null && c.Prepare is not null)
            .ToDictionary(c => c.Records!, c => (c.RoutePattern, c.Prepare!)));

        var fact = app.MapGroup("/patients/{patientId}/events/{eventId}").WithTags(tag);
        fact.MapCommand<RetractFact>("/retract", (r, c) => Retract(r, c, rule))
            .WithName("RetractFact").WithMetadata(CorrectionEndpoint.Instance)
            .WithSummary("Withdraws a fact this department recorded; it leaves every derived value and stays listed, marked retracted");
        fact.MapCommand<AmendFact>("/amend", (r, c) => Amend(r, c, commands.Value, rule))
            .WithName("AmendFact").WithMetadata(CorrectionEndpoint.Instance)
            .WithSummary("Replaces a fact this department recorded by its corrected version, checked as its own command checks it");
        return app;
    }

    private static Decision Retract(RetractFact r, CommandContext c, CorrectionRule? rule)
    {
        if (Correctable(c) is not { } fact) return Refusal(c)!;
        var after = c.History.Where(e => e.EventId != fact.EventId).ToList();
        return rule?.Invoke(fact, null, after) ?? Corrections.RetractionOf(fact, r.Reason!);
    }

    private static Decision Amend(AmendFact r, CommandContext c, IReadOnlyDictionary<Type, (RoutePattern Pattern, PrepareCommand Prepare)> commands, CorrectionRule? rule)
    {
        if (Correctable(c) is not { } fact) return Refusal(c)!;
        if (!commands.TryGetValue(fact.GetType(), out var command))
            return Decision.Conflict(Field, $"a {fact.Type} is not amended: retract it and record it again");

        // The fact's own command, its route values taken from the fact (a cycle's regimenId), decided against what stood
        // before the fact was first recorded.
        var values = JsonSerializer.SerializeToElement(fact, fact.GetType(), JsonDefaults.Options);
        var route = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in command.Pattern.Parameters)
            route[parameter.Name] = parameter.Name == "patientId" ? c.PatientId
                : values.TryGetProperty(parameter.Name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
        var validation = new FieldValidation();
        var write = command.Prepare(new CommandInput(route, r.Body!.Value, "", "", c.Today), validation);
        if (write is null)
            return Decision.Invalid(validation.Errors.ToDictionary(e => "body." + e.Key, e => e.Value));
        if (write.PatientId != c.PatientId)
            return Decision.Conflict("body.patientId", "an amendment keeps the patient of the fact it amends");

        var original = Corrections.Original(c.Record, fact);
        var before = Corrections.Standing(c.Record, before: original.EventId);
        var decision = write.Decide(new CommandContext(c.PatientId, before, c.Today, route, c.Record.TakeWhile(e => e.EventId != original.EventId).ToList()));
        if (decision.Refused is { } refused)
            return refused.Status == StatusCodes.Status400BadRequest && refused.Errors is null
                ? Decision.Invalid("body." + refused.Field, refused.Detail)
                : refused.Status == StatusCodes.Status409Conflict ? Decision.Conflict("body." + refused.Field, refused.Detail)
                : Decision.NotFound("body." + refused.Field, refused.Detail);
        if (decision.Events is not [var amended] || amended.GetType() != fact.GetType())
            return Decision.Conflict("body", $"this body records {string.Join(", ", decision.Events.Select(e => e.Type))}, not the {fact.Type} it amends");
        amended = amended with { Amends = fact.EventId, AmendmentReason = r.Reason };

        var after = c.History.Select(e => e.EventId == fact.EventId ? amended : e).ToList();
        return rule?.Invoke(fact, amended, after) ?? amended;
    }

    /// <summary>The fact the route names, if it stands: recorded here for this patient, not itself a correction, not corrected.</summary>
    private static ClinicalEvent? Correctable(CommandContext c) =>
        Refusal(c) is null ? c.History.First(e => e.EventId == Guid.Parse(c.RouteValue(Field))) : null;

    private static Decision? Refusal(CommandContext c)
    {
        var unknown = Decision.NotFound(Field, "this department recorded no fact with this id for this patient");
        if (!Guid.TryParse(c.RouteValue(Field), out var id) || c.Record.FirstOrDefault(e => e.EventId == id) is not { } fact) return unknown;
        if (fact is IFactRetraction) return Decision.Conflict(Field, "a retraction is not corrected: record the fact again");
        if (c.History.Any(e => e.EventId == id)) return null;
        var correction = Corrections.Of(c.Record).GetValueOrDefault(id);
        return correction?.AmendedBy is { } amended
            ? Decision.Conflict(Field, $"the fact was amended (by {amended.EventId}): correct its current version")
            : Decision.Conflict(Field, correction?.RetractedBy is { } retracted
                ? $"the fact was retracted on {retracted.RecordedAt:yyyy-MM-dd}"
                : "the fact no longer stands (an earlier version of it was retracted)");
    }
}
