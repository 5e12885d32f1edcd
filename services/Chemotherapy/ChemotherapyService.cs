using PatientJourney.DepartmentKit.FactCorrections;
using PatientJourney.DepartmentKit;
using PatientJourney.Chemotherapy.AdverseEvents;
using PatientJourney.Chemotherapy.Cycles;
using PatientJourney.Chemotherapy.Regimens;
using PatientJourney.Contracts;

namespace PatientJourney.Chemotherapy;

/// <summary>The chemotherapy department: regimens, cycles with their doses, stops, adverse events.</summary>
public sealed class ChemotherapyService
{
    public const int DefaultPort = 5102;
}

public static class ChemotherapyServiceExtensions
{
    public static WebApplicationBuilder AddChemotherapy(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CorrectionRule>(Corrections.ChemotherapyCorrections.Check);
        return builder.AddDepartmentEventStore(Departments.Chemotherapy);
    }

    public static IEndpointRouteBuilder MapChemotherapyApi(this IEndpointRouteBuilder app)
    {
        var patients = app.MapGroup("/patients/{patientId}").WithTags("Chemotherapy");
        StartingRegimen.Map(patients);
        CompletingCycle.Map(patients);
        StoppingRegimen.Map(patients);
        RecordingAdverseEvent.Map(patients);
        app.MapDepartmentCorrections("Chemotherapy");
        app.MapDepartmentBatch().WithTags("Chemotherapy");
        return app;
    }
}
