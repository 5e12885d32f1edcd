using PatientJourney.Contracts;

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
