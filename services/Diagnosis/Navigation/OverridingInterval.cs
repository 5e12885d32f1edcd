using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.DepartmentKit;
using PatientJourney.Hosting.Security;

namespace PatientJourney.Diagnosis.Navigation;

public sealed record OverrideInterval(string? Kind, int? IntervalMonths, string? Reason) : IValidatedRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        if (SurveillanceItemKinds.Check(v, Kind, "kind") && !SurveillanceItemKinds.Repeating.Contains(Kind))
            v.Add("kind", $"must be one of {string.Join(", ", SurveillanceItemKinds.Repeating)} (TACE and RFA are sessions an MDT plans)");
        if (v.Required(IntervalMonths, "intervalMonths")) v.Range(IntervalMonths, "intervalMonths", ClinicalLimits.OverrideIntervalMonths);
        v.Required(Reason, "reason", ClinicalLimits.Reason);
    }
}

/// <summary>
/// One patient's interval for a kind of item, with the clinician's reason (a health-maintenance override): the protocol
/// stays the same for everyone, the exception is recorded, dated and audited.
/// </summary>
public static class OverridingInterval
{
    public static void Map(IEndpointRouteBuilder patients) =>
        patients.MapCommand<OverrideInterval>("/{patientId}/surveillance-overrides", Decide, policy: Policies.RecordNavigationFacts)
            .Records<SurveillanceIntervalOverridden>().WithName("OverrideSurveillanceInterval");

    public static Decision Decide(OverrideInterval r, CommandContext c) =>
        SurveillanceState.ForOpenItem(c, r.Kind!, () => new SurveillanceIntervalOverridden
        {
            PatientId = c.PatientId,
            OccurredOn = c.Today,
            Kind = r.Kind!,
            IntervalMonths = r.IntervalMonths!.Value,
            Reason = r.Reason!,
        });
}
