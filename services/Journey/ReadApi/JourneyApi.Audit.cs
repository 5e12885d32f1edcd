using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Serialization;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using PatientJourney.Hosting;
using PatientJourney.Contracts;
using PatientJourney.Journey.Audit;

namespace PatientJourney.Journey.ReadApi;

/// <summary>The auditor's queries: every envelope as known at a time, the hash chain's verification, the FHIR export.</summary>
public static partial class JourneyApi
{
    private static async Task<Results<Ok<List<JsonObject>>, ValidationProblem, ProblemHttpResult>> GetEvents(
        string patientId, string? asKnownAt, IQuerySession session, CancellationToken ct)
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

    /// <summary>The patient's journey as a FHIR R4 Bundle (collection), as of a clinical date.</summary>
    private static async Task<IResult> ExportFhir(string patientId, string? asOf, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        if (CheckPatientId(patientId) is { } invalid) return invalid;
        if (!TryParseDate(asOf, Today(clock), out var day)) return BadQuery("asOf", "must be a date (YYYY-MM-DD)");
        var events = await ClinicalEventsAsync(session, patientId, ct);
        if (events.Count == 0) return UnknownPatient(patientId);
        return Results.Text(PatientJourney.Journey.Fhir.FhirExport.Export(patientId, events, day).ToJson(), "application/fhir+json", System.Text.Encoding.UTF8);
    }

    /// <summary>Rechecks the patient's hash chain and names the first event whose content or position changed.</summary>
    private static async Task<Results<Ok<ChainVerification>, ValidationProblem, ProblemHttpResult>> VerifyChain(
        string patientId, IQuerySession session, CancellationToken ct)
    {
        if (CheckPatientId(patientId) is { } invalid) return invalid;
        var verification = await EventChain.VerifyAsync(session, patientId, ct);
        return verification.Events == 0 && verification.Intact ? UnknownPatient(patientId) : TypedResults.Ok(verification);
    }

    /// <summary>
    /// "Known at" is when the journey stored the event (its own clock, kept in the event's hash-chain link), never a
    /// time a sender wrote: the envelope's recordedAt is the department's word, kept as data.
    /// </summary>
    private static bool TryParseKnownAt(string? value, out DateTimeOffset knownAt)
    {
        knownAt = DateTimeOffset.MaxValue;
        return string.IsNullOrEmpty(value)
            || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out knownAt);
    }
}
