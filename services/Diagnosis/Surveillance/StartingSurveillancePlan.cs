using PatientJourney.Contracts;
using PatientJourney.DepartmentKit;
using PatientJourney.Contracts.Diagnosis;

namespace PatientJourney.Diagnosis.Surveillance;

public sealed record StartSurveillancePlan(DateOnly? StartsOn, string? Protocol) : IValidatedRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        v.ClinicalDate(StartsOn, "startsOn", today);
        SurveillanceProtocolIds.Check(v, Protocol, "protocol");
    }
}

public static class StartingSurveillancePlan
{
    public static void Map(IEndpointRouteBuilder patients) =>
        patients.MapCommand<StartSurveillancePlan>("/{patientId}/surveillance-plans", Decide, clinicalDateField: "startsOn").Records<SurveillancePlanStarted>().WithName("StartSurveillancePlan");

    public static Decision Decide(StartSurveillancePlan r, CommandContext c) => new SurveillancePlanStarted
    {
        PatientId = c.PatientId,
        OccurredOn = r.StartsOn!.Value,
        Protocol = r.Protocol!,
    };
}
