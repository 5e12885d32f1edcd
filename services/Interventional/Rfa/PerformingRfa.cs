using PatientJourney.Contracts;
using PatientJourney.DepartmentKit;
using PatientJourney.Contracts.Interventional;

namespace PatientJourney.Interventional.Rfa;

public sealed record PerformRfa(
    DateOnly? PerformedOn, string? Target, IReadOnlyList<decimal>? LesionSizeMm, int? AblationCycles, decimal? TargetTemperatureC,
    decimal? CycleMinutes, string? Electrode, IReadOnlyList<string?>? ProtectiveMeasures, bool? TechnicalSuccess,
    IReadOnlyList<GradedTermRequest?>? Complications) : IValidatedRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        v.ClinicalDate(PerformedOn, "performedOn", today);
        RfaPerformed.CheckFacts(v, Target, LesionSizeMm, AblationCycles, TargetTemperatureC, CycleMinutes, Electrode, ProtectiveMeasures);
        v.Required(TechnicalSuccess, "technicalSuccess");
        GradedTerms.Validate(v, Complications, "complications");
    }
}

public static class PerformingRfa
{
    public static void Map(IEndpointRouteBuilder patient) =>
        patient.MapCommand<PerformRfa>("/rfa", Decide, clinicalDateField: "performedOn").WithName("RecordRfa");

    public static Decision Decide(PerformRfa r, CommandContext c) => new RfaPerformed
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
        Complications = GradedTerms.ToContract(r.Complications),
    };
}
