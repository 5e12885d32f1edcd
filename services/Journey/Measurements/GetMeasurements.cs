using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using PatientJourney.Contracts;
using PatientJourney.Journey.Catalogue;
using PatientJourney.Journey.Reading;
using static PatientJourney.Journey.Reading.QueryParameters;

namespace PatientJourney.Journey.Measurements;

/// <summary>What the dashboard's charts plot, in clinical order.</summary>
public sealed record MeasurementsResponse(string PatientId, IReadOnlyList<TumourBurdenPoint> TumourBurden, IReadOnlyList<SuvPoint> SuvMax);

/// <summary>GET /patients/{patientId}/measurements: tumour burden and SUVmax for the dashboard's charts.</summary>
public static class GetMeasurements
{
    public static RouteHandlerBuilder MapGetMeasurements(this IEndpointRouteBuilder read) =>
        read.MapGet("/patients/{patientId}/measurements", Handle).WithName("GetMeasurements");

    /// <summary>Tumour burden (sum of target diameters with its RECIST category) and SUVmax per lesion, for charts.</summary>
    private static async Task<Results<Ok<MeasurementsResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        string patientId, IQuerySession session, CancellationToken ct)
    {
        if (CheckPatientId(patientId) is { } invalid) return invalid;
        var events = await PatientEvents.ReadAsync(session, patientId, ct);
        if (events.Count == 0) return UnknownPatient(patientId);
        return TypedResults.Ok(From(patientId, events));
    }

    public static MeasurementsResponse From(string patientId, IReadOnlyList<ClinicalEvent> events)
    {
        var charts = new ChartPoints();
        foreach (var e in events) JourneyEvents.Of(e).AddToCharts(e, charts);
        return new MeasurementsResponse(patientId, charts.TumourBurdenPoints(), charts.SuvMaxPoints());
    }
}
