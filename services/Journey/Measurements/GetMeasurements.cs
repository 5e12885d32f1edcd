using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using PatientJourney.Contracts;
using PatientJourney.Journey.Cardiac;
using PatientJourney.Journey.Catalogue;
using PatientJourney.Journey.Reading;
using PatientJourney.Journey.Responses;
using static PatientJourney.Journey.Reading.QueryParameters;

namespace PatientJourney.Journey.Measurements;

/// <summary>What the dashboard's charts plot, in clinical order.</summary>
public sealed record MeasurementsResponse(string PatientId, IReadOnlyList<TumourBurdenPoint> TumourBurden, IReadOnlyList<SuvPoint> SuvMax,
    IReadOnlyList<EchocardiogramAssessment> Echocardiograms);

/// <summary>GET /patients/{patientId}/measurements: tumour burden, SUVmax and cardiac function for the dashboard's charts.</summary>
public static class GetMeasurements
{
    public static RouteHandlerBuilder MapGetMeasurements(this IEndpointRouteBuilder read) =>
        read.MapGet("/patients/{patientId}/measurements", Handle).WithName("GetMeasurements");

    /// <summary>Tumour burden (sum of target diameters with its RECIST category), SUVmax per lesion and LVEF with its CTRCD grade, for charts, as of a clinical date.</summary>
    private static async Task<Results<Ok<MeasurementsResponse>, ValidationProblem, ProblemHttpResult>> Handle(
        string patientId, string? asOf, IQuerySession session, CancellationToken ct)
    {
        if (CheckPatientId(patientId) is { } invalid) return invalid;
        if (!TryParseDate(asOf, DateOnly.MaxValue, out var day)) return BadQuery("asOf", "must be a date (YYYY-MM-DD)");
        var events = await PatientEvents.ReadAsync(session, patientId, ct);
        if (events.Count == 0) return UnknownPatient(patientId);
        return TypedResults.Ok(From(patientId, Corrections.Standing(events).Where(e => e.OccurredOn <= day).ToList()));
    }

    /// <param name="events">The patient's events (in any order).</param>
    public static MeasurementsResponse From(string patientId, IReadOnlyList<ClinicalEvent> events)
    {
        var ordered = ClinicalOrder.Sort(events);
        var charts = new ChartPoints();
        foreach (var e in ordered) JourneyEvents.Of(e).AddToCharts(e, charts);
        var responses = ResponseHistory.Derive(ordered);
        foreach (var r in responses.Recist) charts.Assessed(r.CtEventId, ResponseSummaries.Code(r.Category));
        // A baseline lesion a later PET/CT no longer lists had no avid uptake left: drawn resolved, at background.
        foreach (var m in responses.Metabolic)
            foreach (var gone in m.Lesions.Where(l => l.Status == MetabolicLesionStatus.Resolved && l.BaselineSuvMax is not null))
                if (!charts.HasSuvMax(m.AssessedOn, gone.LesionId)) charts.SuvMax(new SuvPoint(m.AssessedOn, gone.LesionId, gone.Site, gone.SuvMax ?? 0m, Resolved: true));
        return new MeasurementsResponse(patientId, charts.TumourBurdenPoints(), charts.SuvMaxPoints(), CardiacDysfunction.Assess(ordered));
    }
}
