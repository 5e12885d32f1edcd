using Marten;
using PatientJourney.Contracts.Diagnosis;
using Microsoft.AspNetCore.Http.HttpResults;
using PatientJourney.Journey.Reading;
using static PatientJourney.Journey.Reading.QueryParameters;

namespace PatientJourney.Journey.Surveillance;

public sealed record SurveillanceItemResponse(string Kind, DateOnly DueOn, string Status, DateOnly? CompletedOn, Guid? CompletedByEventId,
    DateOnly? ScheduledOn, DateOnly? DeferredUntil, DateOnly? ClosedOn, string? Rule, Guid? OverriddenBy);
/// <summary>An exposure rule the patient's facts triggered, with what it says and where it comes from.</summary>
public sealed record TriggeredRuleResponse(string Id, string Title, ExposureTrigger Trigger, DateOnly TriggeredOn, decimal CumulativeMgPerM2, GuidelineSource Source);
public sealed record OverrideResponse(string Kind, int IntervalMonths, DateOnly Since, string Reason, Guid EventId);
public sealed record SurveillanceResponse(string PatientId, DateOnly AsOf, string? Protocol, DateOnly? StartsOn, IReadOnlyList<SurveillanceItemResponse> Items,
    IReadOnlyList<TriggeredRuleResponse> Rules, IReadOnlyList<OverrideResponse> Overrides);

/// <summary>GET /patients/{patientId}/surveillance: the patient's schedule as of a clinical date, computed from the stream.</summary>
public static class GetSurveillance
{
    public static RouteHandlerBuilder MapGetSurveillance(this IEndpointRouteBuilder read) =>
        read.MapGet("/patients/{patientId}/surveillance", Handle).WithName("GetSurveillance");

    private static async Task<Results<Ok<SurveillanceResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        string patientId, string? asOf, string? asKnownAt, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        if (CheckPatientId(patientId) is { } invalid) return invalid;
        if (!TryParseDate(asOf, Today(clock), out var day)) return BadQuery("asOf", "must be a date (YYYY-MM-DD)");
        if (!TryParseKnownAt(asKnownAt, out var knownAt)) return BadQuery("asKnownAt", "must be a UTC date-time (ISO 8601)");
        // Clinical time (asOf) and recorded time (asKnownAt) combine: what was known then about what had happened by D.
        var events = await PatientEvents.ReadAsync(session, patientId, ct, knownAt);
        if (events.Count == 0) return UnknownPatient(patientId);
        var schedule = SurveillanceEngine.Compute(events, day);
        return TypedResults.Ok(From(patientId, day, schedule));
    }

    public static SurveillanceResponse From(string patientId, DateOnly day, Schedule schedule)
    {
        var rules = SurveillanceCatalogue.Current.Rules.ToDictionary(r => r.Id, StringComparer.Ordinal);
        return new SurveillanceResponse(patientId, day, schedule.Protocol, schedule.StartsOn,
            schedule.Items.Select(i => new SurveillanceItemResponse(i.Kind, i.DueOn, i.StatusOn(day), i.CompletedOn, i.CompletedByEventId,
                i.ScheduledOn, i.DeferredUntil, i.ClosedOn, i.Rule, i.OverriddenBy)).ToList(),
            schedule.Rules.Where(t => rules.ContainsKey(t.RuleId))
                .Select(t => (Fired: t, Rule: rules[t.RuleId]))
                .Select(r => new TriggeredRuleResponse(r.Rule.Id, r.Rule.Title, r.Rule.Trigger, r.Fired.TriggeredOn, r.Fired.CumulativeMgPerM2, r.Rule.Source)).ToList(),
            schedule.Overrides.Select(o => new OverrideResponse(o.Kind, o.IntervalMonths, o.Since, o.Reason, o.EventId)).ToList());
    }
}
