using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.DepartmentKit;
using PatientJourney.Hosting.Security;

namespace PatientJourney.Diagnosis.Navigation;

public sealed record AssignNavigator(string? Navigator) : IValidatedRequest
{
    public void Validate(FieldValidation v, DateOnly today) => v.Required(Navigator, "navigator", ClinicalLimits.RecordedBy);
}

public static class AssigningNavigator
{
    public static void Map(IEndpointRouteBuilder patients) =>
        patients.MapCommand<AssignNavigator>("/{patientId}/navigator", Decide, policy: Policies.RecordNavigationFacts).Records<NavigatorAssigned>().WithName("AssignNavigator");

    public static Decision Decide(AssignNavigator r, CommandContext c) => new NavigatorAssigned
    {
        PatientId = c.PatientId,
        OccurredOn = c.Today,
        Navigator = r.Navigator!,
    };
}
