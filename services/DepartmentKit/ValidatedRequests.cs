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

/// <summary>A request that names clinical terms (a drug, a CTCAE term and grade): checked against the hospital's terminology too.</summary>
public interface ITerminologyRequest
{
    void CheckTerms(FieldValidation validation, ClinicalTerminology terminology);
}
