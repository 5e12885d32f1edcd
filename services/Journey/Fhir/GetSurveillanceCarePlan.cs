using Hl7.Fhir.Model;
using Marten;
using PatientJourney.Journey.Reading;
using PatientJourney.Journey.Surveillance;
using static PatientJourney.Journey.Reading.QueryParameters;

namespace PatientJourney.Journey.Fhir;

/// <summary>GET /patients/{patientId}/surveillance/careplan: the schedule of GET .../surveillance as a FHIR R4 CarePlan.</summary>
public static class GetSurveillanceCarePlan
{
    public static RouteHandlerBuilder MapGetSurveillanceCarePlan(this IEndpointRouteBuilder read) =>
        read.MapGet("/patients/{patientId}/surveillance/careplan", Handle).WithName("GetSurveillanceCarePlan")
            .Produces(StatusCodes.Status200OK, contentType: FhirJson.ContentType);

    private static async Task<IResult> Handle(string patientId, string? asOf, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        if (CheckPatientId(patientId) is { } invalid) return invalid;
        if (!TryParseDate(asOf, Today(clock), out var day)) return BadQuery("asOf", "must be a date (YYYY-MM-DD)");
        var events = await PatientEvents.ReadAsync(session, patientId, ct);
        if (events.Count == 0) return UnknownPatient(patientId);
        // Standing alone, the plan names its patient by the record number (the export bundle refers to its Patient entry).
        var subject = new ResourceReference { Type = "Patient", Identifier = new Identifier(FhirExport.MrnSystem, patientId) };
        return FhirJson.Of(SurveillanceCarePlan.From(SurveillanceEngine.Compute(events, day), day, subject));
    }
}
