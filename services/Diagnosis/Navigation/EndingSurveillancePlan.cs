using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.DepartmentKit;
using PatientJourney.Hosting.Security;

namespace PatientJourney.Diagnosis.Navigation;

public sealed record EndSurveillancePlan(DateOnly? EndedOn, SurveillancePlanEndReason? Reason) : IValidatedRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        v.ClinicalDate(EndedOn, "endedOn", today);
        v.Required(Reason, "reason"); // an unknown reason is refused as it is read
    }
}

public static class EndingSurveillancePlan
{
    public static void Map(IEndpointRouteBuilder patients) =>
        patients.MapCommand<EndSurveillancePlan>("/{patientId}/surveillance-plans/end", Decide, clinicalDateField: "endedOn", policy: Policies.RecordNavigationFacts)
            .Records<SurveillancePlanEnded>().WithName("EndSurveillancePlan");

    public static Decision Decide(EndSurveillancePlan r, CommandContext c)
    {
        var state = SurveillanceState.Of(c.History);
        if (state.Death is { } death) return Decision.Conflict("endedOn", $"the patient died on {death.DiedOn:yyyy-MM-dd}: no plan is active");
        if (state.ActivePlan is not { } plan) return Decision.Conflict("endedOn", "no surveillance plan is active");
        if (r.EndedOn < plan.StartsOn) return Decision.Conflict("endedOn", $"the active plan started on {plan.StartsOn:yyyy-MM-dd}");
        return new SurveillancePlanEnded
        {
            PatientId = c.PatientId,
            OccurredOn = r.EndedOn!.Value,
            Reason = r.Reason!.Value,
        };
    }
}
