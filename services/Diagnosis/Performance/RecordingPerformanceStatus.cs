using PatientJourney.Contracts;
using PatientJourney.DepartmentKit;
using PatientJourney.Contracts.Diagnosis;

namespace PatientJourney.Diagnosis.Performance;

public sealed record RecordPerformanceStatus(DateOnly? OccurredOn, int? Ecog) : IValidatedRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        v.ClinicalDate(OccurredOn, "occurredOn", today);
        // ECOG performance status: 0 (fully active) to 5 (dead); Oken et al., Am J Clin Oncol 1982.
        if (v.Required(Ecog, "ecog")) v.Range(Ecog, "ecog", ClinicalLimits.Ecog);
    }
}

public static class RecordingPerformanceStatus
{
    public static void Map(IEndpointRouteBuilder patients) =>
        patients.MapCommand<RecordPerformanceStatus>("/{patientId}/performance-status", Decide).Records<PerformanceStatusRecorded>().WithName("RecordPerformanceStatus");

    public static Decision Decide(RecordPerformanceStatus r, CommandContext c) => new PerformanceStatusRecorded
    {
        PatientId = c.PatientId,
        OccurredOn = r.OccurredOn!.Value,
        Ecog = r.Ecog!.Value,
    };
}
