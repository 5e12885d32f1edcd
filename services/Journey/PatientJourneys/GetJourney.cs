using Marten;
using PatientJourney.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;
using PatientJourney.Journey.Reading;
using static PatientJourney.Journey.Reading.QueryParameters;

namespace PatientJourney.Journey.PatientJourneys;

public sealed record JourneyResponse(
    string PatientId, bool Registered, IReadOnlyList<JourneyEntry> Entries, CumulativeDoxorubicin CumulativeDoxorubicinMgPerM2,
    LatestResponse? LatestResponse, IReadOnlyList<JourneyFlag> Flags, bool Deceased, DateOnly? DiedOn);

/// <summary>
/// GET /patients/{patientId}/journey: a patient's journey, now or as of a clinical date (what had happened by then), and
/// (auditors) as known at a time.
/// </summary>
public static class GetJourney
{
    public static RouteHandlerBuilder MapGetJourney(this IEndpointRouteBuilder read) =>
        read.MapGet("/patients/{patientId}/journey", Handle).WithName("GetJourney");

    /// <summary>
    /// The journey, computed from the patient's stream (with asKnownAt, from the events recorded by then), as the
    /// schedule and measurements are: the stored view leaves the entries out, and one read of ~30 events costs less
    /// than rewriting them into the view on every append (measured in docs/benchmarks-history.md).
    /// </summary>
    private static async Task<Results<Ok<JourneyResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        string patientId, string? asOf, string? asKnownAt, IQuerySession session, CancellationToken ct)
    {
        if (CheckPatientId(patientId) is { } invalid) return invalid;
        if (!TryParseDate(asOf, DateOnly.MaxValue, out var day)) return BadQuery("asOf", "must be a date (YYYY-MM-DD)");
        if (!TryParseKnownAt(asKnownAt, out var knownAt)) return BadQuery("asKnownAt", "must be a UTC date-time (ISO 8601)");
        var stored = await PatientEvents.ReadAsync(session, patientId, ct, knownAt);
        if (stored.Count == 0) return UnknownPatient(patientId);
        // Corrections first, then the date: a fact amended to a later date is not in the journey of the day before.
        var known = Corrections.Standing(stored).Where(e => e.OccurredOn <= day).ToList();
        var view = JourneyProjection.Project(patientId, known, known.Count);
        return TypedResults.Ok(new JourneyResponse(view.Id, view.Registered, JourneyProjection.Entries(stored, day), view.CumulativeDoxorubicinMgPerM2,
            view.LatestResponse, view.Flags, view.Deceased, view.DiedOn));
    }
}
