using PatientJourney.Contracts;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using PatientJourney.Journey.Catalogue;
using PatientJourney.Journey.Reading;
using PatientJourney.Journey.Responses;
using static PatientJourney.Journey.Reading.QueryParameters;

namespace PatientJourney.Journey.PatientJourneys;

public sealed record ResponsesResponse(string PatientId, DateOnly? AsOf, IReadOnlyList<RecistAssessment> Recist, IReadOnlyList<MetabolicAssessment> Metabolic);

/// <summary>GET /patients/{patientId}/responses: every RECIST 1.1 and EORTC response, derived from the measurements.</summary>
public static class GetResponses
{
    public static RouteHandlerBuilder MapGetResponses(this IEndpointRouteBuilder read) =>
        read.MapGet("/patients/{patientId}/responses", Handle).WithName("GetResponses");

    /// <summary>From the facts that occurred by asOf (all when absent), as known at asKnownAt (auditors).</summary>
    private static async Task<Results<Ok<ResponsesResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        string patientId, string? asOf, string? asKnownAt, IQuerySession session, CancellationToken ct)
    {
        if (CheckPatientId(patientId) is { } invalid) return invalid;
        if (!TryParseDate(asOf, DateOnly.MaxValue, out var day)) return BadQuery("asOf", "must be a date (YYYY-MM-DD)");
        if (!TryParseKnownAt(asKnownAt, out var knownAt)) return BadQuery("asKnownAt", "must be a UTC date-time (ISO 8601)");
        var events = await PatientEvents.ReadAsync(session, patientId, ct, knownAt);
        if (events.Count == 0) return UnknownPatient(patientId);
        var responses = ResponseHistory.Derive(ClinicalOrder.Sort(Corrections.Standing(events).Where(e => e.OccurredOn <= day)));
        return TypedResults.Ok(new ResponsesResponse(patientId, asOf is null ? null : day, responses.Recist, responses.Metabolic));
    }
}
