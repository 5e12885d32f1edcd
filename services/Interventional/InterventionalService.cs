using PatientJourney.DepartmentKit.FactCorrections;
using PatientJourney.DepartmentKit;
using PatientJourney.Contracts;
using PatientJourney.Interventional.Rfa;
using PatientJourney.Interventional.Tace;

namespace PatientJourney.Interventional;

/// <summary>The interventional radiology department: TACE and RFA.</summary>
public sealed class InterventionalService
{
    public const int DefaultPort = 5103;
}

public static class InterventionalServiceExtensions
{
    public static WebApplicationBuilder AddInterventional(this WebApplicationBuilder builder) =>
        builder.AddDepartmentEventStore(Departments.Interventional);

    public static IEndpointRouteBuilder MapInterventionalApi(this IEndpointRouteBuilder app)
    {
        var patient = app.MapGroup("/patients/{patientId}").WithTags("Interventional");
        PerformingTace.Map(patient);
        PerformingRfa.Map(patient);
        app.MapDepartmentCorrections("Interventional");
        app.MapDepartmentBatch().WithTags("Interventional");
        return app;
    }
}
