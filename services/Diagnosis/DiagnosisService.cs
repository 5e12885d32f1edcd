using PatientJourney.PlanDefinitions;
using PatientJourney.DepartmentKit.FactCorrections;
using PatientJourney.DepartmentKit;
using PatientJourney.Contracts;
using PatientJourney.Diagnosis.Diagnoses;
using PatientJourney.Diagnosis.Mdt;
using PatientJourney.Diagnosis.Merging;
using PatientJourney.Diagnosis.Navigation;
using PatientJourney.Diagnosis.Performance;
using PatientJourney.Diagnosis.Registration;
using PatientJourney.Diagnosis.Surveillance;
using PatientJourney.Diagnosis.Visits;
using PatientJourney.Hosting.Security;

namespace PatientJourney.Diagnosis;

/// <summary>The diagnosis department: registration, diagnoses, ECOG, MDT decisions, surveillance plans, visits, and the navigation facts.</summary>
public sealed class DiagnosisService
{
    public const int DefaultPort = 5101;
}

public static class DiagnosisServiceExtensions
{
    public static WebApplicationBuilder AddDiagnosis(this WebApplicationBuilder builder)
    {
        // The plan's protocol is checked against the catalogue the journey schedules from: the hospital's files too.
        builder.AddSurveillancePlanDefinitions();
        builder.AddDepartmentEventStore(Departments.Diagnosis, BirthDateRule.Check);
        builder.Services.AddSingleton<CorrectionRule>(Corrections.DiagnosisCorrections.Check);
        // A navigator records the navigation facts, never the clinical ones.
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policies.RecordNavigationFacts,
            p => p.RequireRole(Roles.Department(Departments.Diagnosis), Roles.Navigator));
        return builder;
    }

    public static IEndpointRouteBuilder MapDiagnosisApi(this IEndpointRouteBuilder app)
    {
        var patients = app.MapGroup("/patients").WithTags("Diagnosis");
        RegisteringPatient.Map(patients);
        ConfirmingDiagnosis.Map(patients);
        RecordingPerformanceStatus.Map(patients);
        RecordingMdtDecision.Map(patients);
        StartingSurveillancePlan.Map(patients);
        RecordingClinicVisit.Map(patients);
        BookingAppointment.Map(patients);
        DeferringItem.Map(patients);
        OverridingInterval.Map(patients);
        RecordingOutsideResult.Map(patients);
        EndingSurveillancePlan.Map(patients);
        RecordingDeath.Map(patients);
        AssigningNavigator.Map(patients);
        MergingPatients.Map(patients);
        app.MapDepartmentCorrections("Diagnosis");
        app.MapDepartmentBatch().WithTags("Diagnosis");
        return app;
    }
}
