using Marten;
using PatientJourney.Journey.Store;
using PatientJourney.Journey.Reading;
using static PatientJourney.Journey.Reading.QueryParameters;

namespace PatientJourney.Journey.Fhir;

/// <summary>GET /patients/{patientId}/fhir: the patient's journey as a FHIR R4 Bundle (collection), as of a clinical date.</summary>
public static class ExportFhir
{
    public static RouteHandlerBuilder MapExportFhir(this IEndpointRouteBuilder audit) =>
        audit.MapGet("/patients/{patientId}/fhir", Handle).WithName("ExportFhir").Produces(StatusCodes.Status200OK, contentType: FhirJson.ContentType);

    private static async Task<IResult> Handle(string patientId, string? asOf, [FromKeyedServices(JourneyStore.Primary)] IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        if (CheckPatientId(patientId) is { } invalid) return invalid;
        if (!TryParseDate(asOf, Today(clock), out var day)) return BadQuery("asOf", "must be a date (YYYY-MM-DD)");
        var events = await PatientEvents.ReadAsync(session, patientId, ct);
        if (events.Count == 0) return UnknownPatient(patientId);
        return FhirJson.Of(FhirExport.Export(patientId, events, day));
    }
}
