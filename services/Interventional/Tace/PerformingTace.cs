using PatientJourney.Contracts;
using PatientJourney.DepartmentKit;
using PatientJourney.Contracts.Interventional;

namespace PatientJourney.Interventional.Tace;

public sealed record PerformTace(
    DateOnly? PerformedOn, string? Target, string? Drug, decimal? DoseMg, string? Carrier, string? Approach,
    IReadOnlyList<GradedTermRequest?>? Toxicities) : IValidatedRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        v.ClinicalDate(PerformedOn, "performedOn", today);
        TacePerformed.CheckFacts(v, Target, Drug, DoseMg, Carrier, Approach);
        GradedTerms.Validate(v, Toxicities, "toxicities");
    }
}

public static class PerformingTace
{
    public static void Map(IEndpointRouteBuilder patient) =>
        patient.MapCommand<PerformTace>("/tace", Decide, clinicalDateField: "performedOn").WithName("RecordTace");

    public static Decision Decide(PerformTace r, CommandContext c) => new TacePerformed
    {
        PatientId = c.PatientId,
        OccurredOn = r.PerformedOn!.Value,
        Target = r.Target!,
        Drug = r.Drug!.Trim(),
        DoseMg = r.DoseMg!.Value,
        Carrier = r.Carrier,
        Approach = r.Approach,
        Toxicities = GradedTerms.ToContract(r.Toxicities),
    };
}
