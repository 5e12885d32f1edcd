using PatientJourney.Contracts;
using PatientJourney.DepartmentKit;
using PatientJourney.Contracts.Diagnosis;

namespace PatientJourney.Diagnosis.Registration;

public sealed record RegisterPatient(string? PatientId, Sex? Sex, DateOnly? BirthDate, string? DisplayName, DateOnly? OccurredOn)
    : IValidatedRequest, IPatientRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        v.Required(Sex, "sex");
        v.ClinicalDate(BirthDate, "birthDate", today);
        v.MaxLength(DisplayName, "displayName", ClinicalLimits.ShortText);
        v.ClinicalDate(OccurredOn, "occurredOn", today, required: false);
        if (BirthDate is { } born && OccurredOn is { } on && on < born) v.Add("occurredOn", "must not be before birthDate");
    }
}

public static class RegisteringPatient
{
    public static void Map(IEndpointRouteBuilder patients) =>
        patients.MapCommand<RegisterPatient>("", Decide).Records<PatientRegistered>().WithName("RegisterPatient");

    public static Decision Decide(RegisterPatient r, CommandContext c) =>
        c.History.OfType<PatientRegistered>().Any() ? Decision.Conflict("patientId", $"patient {c.PatientId} is already registered")
        : c.History.Any(e => e.OccurredOn < r.BirthDate) ? Decision.Invalid("birthDate", "is after facts already recorded for this patient")
        : new PatientRegistered
            {
                PatientId = c.PatientId,
                OccurredOn = r.OccurredOn ?? c.Today,
                Sex = r.Sex!.Value,
                BirthDate = r.BirthDate!.Value,
                DisplayName = r.DisplayName,
            };
}
