using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.DepartmentKit;
using PatientJourney.Hosting.Security;

namespace PatientJourney.Diagnosis.Navigation;

public sealed record DeferItem(string? Kind, DateOnly? Until, string? Reason) : IValidatedRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        SurveillanceItemKinds.Check(v, Kind, "kind");
        if (NavigationLimits.FutureDate(v, Until, "until", today) && Until <= today) v.Add("until", "must be after today");
        v.Required(Reason, "reason", ClinicalLimits.Reason);
    }
}

public static class DeferringItem
{
    public static void Map(IEndpointRouteBuilder patients) =>
        patients.MapCommand<DeferItem>("/{patientId}/deferrals", Decide, policy: Policies.RecordNavigationFacts).Records<SurveillanceItemDeferred>().WithName("DeferSurveillanceItem");

    public static Decision Decide(DeferItem r, CommandContext c) =>
        SurveillanceState.ForOpenItem(c, r.Kind!, () => new SurveillanceItemDeferred
        {
            PatientId = c.PatientId,
            OccurredOn = c.Today,
            Kind = r.Kind!,
            Until = r.Until!.Value,
            Reason = r.Reason!,
        });
}
