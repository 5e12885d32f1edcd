using PatientJourney.Contracts;
using PatientJourney.Contracts.Terminology;

namespace PatientJourney.DepartmentKit;

/// <summary>A request body that can say what is wrong with itself.</summary>
public interface IValidatedRequest
{
    void Validate(FieldValidation validation, DateOnly today);
}

/// <summary>A request whose patient is named in its body rather than its route.</summary>
public interface IPatientRequest
{
    string? PatientId { get; }
}

/// <summary>
/// A request whose decision also reads other patients' histories (a merge: the survivor's). The writer locks and reads
/// their streams in the same transaction as the patient's and hands them to the decision (<see cref="CommandContext.HistoryOf"/>).
/// </summary>
public interface IOtherPatientsRequest
{
    IReadOnlyList<string> OtherPatients { get; }
}

/// <summary>A request that names clinical terms (a drug, a CTCAE term and grade): checked against the hospital's terminology too.</summary>
public interface ITerminologyRequest
{
    void CheckTerms(FieldValidation validation, ClinicalTerminology terminology);
}
