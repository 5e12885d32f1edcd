using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.DepartmentKit;
using PatientJourney.Hosting.Security;

namespace PatientJourney.Diagnosis.Navigation;

public sealed record RecordDeath(DateOnly? DiedOn, string? Cause) : IValidatedRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        v.ClinicalDate(DiedOn, "diedOn", today);
        v.MaxLength(Cause, "cause", ClinicalLimits.MediumText);
    }
}

public static class RecordingDeath
{
    public static void Map(IEndpointRouteBuilder patients) =>
        patients.MapCommand<RecordDeath>("/{patientId}/death", Decide, clinicalDateField: "diedOn", policy: Policies.RecordNavigationFacts).Records<PatientDied>().WithName("RecordDeath");

    public static Decision Decide(RecordDeath r, CommandContext c) =>
        c.History.OfType<PatientDied>().FirstOrDefault() is { } death
            ? Decision.Conflict("diedOn", $"the patient's death was already recorded ({death.DiedOn:yyyy-MM-dd})")
            : new PatientDied
            {
                PatientId = c.PatientId,
                OccurredOn = r.DiedOn!.Value,
                Cause = r.Cause,
            };
}
