using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.DepartmentKit;
using PatientJourney.DepartmentKit.FactCorrections;

namespace PatientJourney.Diagnosis.Corrections;

/// <summary>
/// What a correction of the diagnosis record must keep true: no fact before the registered birth date (the rule every
/// new fact is held to, <see cref="Registration.BirthDateRule"/>), so a registration is amended to a later birth date
/// only while no fact stands before it. A merge stands for good.
/// </summary>
public static class DiagnosisCorrections
{
    public static Decision? Check(ClinicalEvent fact, ClinicalEvent? amendment, IReadOnlyList<ClinicalEvent> standingAfter) =>
        // The journey has joined the two records for good (its later facts too): a merge is not undone by a correction.
        fact is PatientsMerged ? Decision.Conflict(CorrectingFacts.Field, "a merge of records is not retracted or amended")
        : amendment is PatientRegistered registered
        && standingAfter.Where(e => e is not PatientRegistered).FirstOrDefault(e => e.OccurredOn < registered.BirthDate) is { } earlier
            ? Decision.Conflict("body.birthDate", $"a {earlier.Type} of {earlier.OccurredOn:yyyy-MM-dd} stands before this birth date")
            : null;
}
