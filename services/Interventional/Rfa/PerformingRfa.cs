using PatientJourney.Contracts;
using PatientJourney.DepartmentKit;
using PatientJourney.Contracts.Interventional;
using PatientJourney.Contracts.Terminology;

namespace PatientJourney.Interventional.Rfa;

public sealed record PerformRfa(
    DateOnly? PerformedOn, string? Target, IReadOnlyList<decimal>? LesionSizeMm, int? AblationCycles, decimal? TargetTemperatureC,
    decimal? CycleMinutes, string? Electrode, IReadOnlyList<string?>? ProtectiveMeasures, bool? TechnicalSuccess,
    IReadOnlyList<GradedTermRequest?>? Complications) : IValidatedRequest, ITerminologyRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        v.ClinicalDate(PerformedOn, "performedOn", today);
        RfaPerformed.CheckFacts(v, Target, LesionSizeMm, AblationCycles, TargetTemperatureC, CycleMinutes, Electrode, ProtectiveMeasures);
        v.Required(TechnicalSuccess, "technicalSuccess");
        GradedTerms.Validate(v, Complications, "complications");
    }

    public void CheckTerms(FieldValidation v, ClinicalTerminology terminology) => GradedTerms.CheckTerms(v, terminology, Complications, "complications");
}

public static class PerformingRfa
{
    public static void Map(IEndpointRouteBuilder patient)
    {
        var terminology = patient.Terminology();
        patient.MapCommand<PerformRfa>("/rfa", (r, c) => Decide(r, c, terminology.Ctcae), clinicalDateField: "performedOn").Records<RfaPerformed>().WithName("RecordRfa");
    }

    public static Decision Decide(PerformRfa r, CommandContext c, CtcaeTerms? ctcae = null) => new RfaPerformed
    {
        PatientId = c.PatientId,
        OccurredOn = r.PerformedOn!.Value,
        Target = r.Target!,
        LesionSizeMm = r.LesionSizeMm ?? [],
        AblationCycles = r.AblationCycles,
        TargetTemperatureC = r.TargetTemperatureC,
        CycleMinutes = r.CycleMinutes,
        Electrode = r.Electrode,
        ProtectiveMeasures = (r.ProtectiveMeasures ?? []).Select(m => m!).ToList(),
        TechnicalSuccess = r.TechnicalSuccess!.Value,
        Complications = GradedTerms.ToContract(r.Complications, ctcae),
    };
}
