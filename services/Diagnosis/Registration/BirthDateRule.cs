using PatientJourney.Contracts.Diagnosis;
using PatientJourney.DepartmentKit;

namespace PatientJourney.Diagnosis.Registration;

/// <summary>
/// No fact the diagnosis department records may be dated before the patient's birth. The registration is in this
/// department's own history, so once the patient is registered every one of its commands is checked against it; the
/// other departments never see the registration, and their facts are not checked.
/// </summary>
public static class BirthDateRule
{
    public static Decision Check(CommandContext context, Decision decision, string clinicalDateField) =>
        context.History.OfType<PatientRegistered>().FirstOrDefault()?.BirthDate is { } born && decision.Events.Any(e => e.OccurredOn < born)
            ? Decision.Invalid(clinicalDateField, $"must not be before the patient's birth date ({born:yyyy-MM-dd})")
            : decision;
}
