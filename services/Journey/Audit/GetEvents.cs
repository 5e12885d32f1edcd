using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using PatientJourney.Journey.Store;
using Microsoft.AspNetCore.Http.HttpResults;
using PatientJourney.Hosting;
using PatientJourney.StoreAndBus.Messaging;
using PatientJourney.Contracts;
using static PatientJourney.Journey.Reading.QueryParameters;

namespace PatientJourney.Journey.Audit;

/// <summary>GET /patients/{patientId}/events: every envelope the journey stored, as known at a time, with when it stored it.</summary>
public static class GetEvents
{
    public static RouteHandlerBuilder MapGetEvents(this IEndpointRouteBuilder audit) =>
        audit.MapGet("/patients/{patientId}/events", Handle).WithName("GetEvents");

    private static async Task<Results<Ok<List<JsonObject>>, ValidationProblem, ProblemHttpResult>> Handle(
        string patientId, string? asKnownAt, [FromKeyedServices(JourneyStore.Primary)] IQuerySession session, CancellationToken ct)
    {
        if (CheckPatientId(patientId) is { } invalid) return invalid;
        if (!TryParseKnownAt(asKnownAt, out var knownAt)) return BadQuery("asKnownAt", "must be a UTC date-time (ISO 8601)");
        var stream = await session.Events.FetchStreamAsync(patientId, token: ct);
        if (stream.Count == 0) return UnknownPatient(patientId);
        var known = stream.Where(e => e.Data is ClinicalEvent && e.Timestamp <= knownAt).Select(e =>
        {
            var json = JsonSerializer.SerializeToNode(e.Data, e.Data.GetType(), JsonDefaults.Options)!.AsObject();
            json["storedAt"] = e.Timestamp;
            json["journeyVersion"] = e.Version;
            return json;
        }).ToList();
        return TypedResults.Ok(known);
    }
}
