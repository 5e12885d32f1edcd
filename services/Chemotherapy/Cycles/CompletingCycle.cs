using PatientJourney.Contracts;
using PatientJourney.DepartmentKit;
using PatientJourney.Chemotherapy.Dosing;
using PatientJourney.Chemotherapy.Regimens;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Terminology;

namespace PatientJourney.Chemotherapy.Cycles;

public sealed record CompleteCycle(int? CycleNumber, DateOnly? StartedOn, DateOnly? CompletedOn, decimal? WeightKg, decimal? DoseReductionPercent)
    : IValidatedRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        if (v.Required(CycleNumber, "cycleNumber")) v.Range(CycleNumber, "cycleNumber", ClinicalLimits.CycleNumber);
        v.ClinicalDate(StartedOn, "startedOn", today);
        v.ClinicalDate(CompletedOn, "completedOn", today);
        if (StartedOn is { } s && CompletedOn is { } c && c < s) v.Add("completedOn", "must not be before startedOn");
        v.Range(WeightKg, "weightKg", ClinicalLimits.WeightKg);
        v.Range(DoseReductionPercent, "doseReductionPercent", ClinicalLimits.DoseReductionPercent);
    }
}

public static class CompletingCycle
{
    public static void Map(IEndpointRouteBuilder patient)
    {
        var terminology = patient.Terminology();
        patient.MapCommand<CompleteCycle>("/regimens/{regimenId}/cycles", (r, c) => Decide(r, c, c.RouteValue("regimenId"), terminology.Formulary),
                clinicalDateField: "completedOn")
            .Records<ChemoCycleCompleted>().WithName("CompleteCycle");
    }

    /// <param name="formulary">Resolves the regimen's drugs for the cardiotoxic ledger (the published one unless given).</param>
    public static Decision Decide(CompleteCycle r, CommandContext c, string regimenId, Formulary? formulary = null)
    {
        if (Regimen.Find(c.History, regimenId) is not { } regimen)
            return Decision.NotFound("regimenId", $"regimen {regimenId} has not been started for this patient");
        if (regimen.Stopped is not null)
            return Decision.Conflict("regimenId", $"regimen {regimenId} was stopped on {regimen.Stopped.OccurredOn:yyyy-MM-dd}");
        var expected = (regimen.LastCycle?.CycleNumber ?? 0) + 1;
        if (r.CycleNumber != expected)
            return Decision.Conflict("cycleNumber", $"the next cycle of regimen {regimenId} is {expected}");
        if (r.StartedOn < regimen.Started.OccurredOn)
            return Decision.Conflict("startedOn", "a cycle cannot start before its regimen");
        if (regimen.LastCycle is { } last && r.StartedOn < last.CompletedOn)
            return Decision.Conflict("startedOn", $"cycle {expected} cannot start before cycle {last.CycleNumber} was completed");

        var bsa = r.WeightKg is { } weight ? BodySurfaceArea.M2(regimen.Started.BsaFormula, regimen.Started.HeightCm, weight) : regimen.Started.BsaM2;
        var reduction = r.DoseReductionPercent ?? 0m;
        var lastCycle = regimen.LastCycle;
        var dose = CycleDoses.CardiotoxicMgPerM2(regimen.Started.Drugs, bsa, reduction, formulary ?? Formulary.Published);
        // A cycle recorded before the formulary has no equivalent: its regimen had counted doxorubicin only.
        var previousEquivalent = lastCycle?.CumulativeDoxorubicinEquivalentMgPerM2 ?? lastCycle?.CumulativeDoxorubicinMgPerM2 ?? 0m;
        return new ChemoCycleCompleted
        {
            PatientId = c.PatientId,
            OccurredOn = r.CompletedOn!.Value,
            RegimenId = regimenId,
            CycleNumber = r.CycleNumber!.Value,
            StartedOn = r.StartedOn!.Value,
            WeightKg = r.WeightKg,
            DoseReductionPercent = r.DoseReductionPercent,
            BsaM2 = bsa,
            Drugs = CycleDoses.Administered(regimen.Started.Drugs, bsa, reduction),
            CumulativeDoxorubicinMgPerM2 = Tenth((lastCycle?.CumulativeDoxorubicinMgPerM2 ?? 0m) + dose.DoxorubicinMgPerM2),
            CumulativeDoxorubicinEquivalentMgPerM2 = Tenth(previousEquivalent + dose.DoxorubicinEquivalentMgPerM2),
            CumulativeLiposomalDoxorubicinMgPerM2 = Tenth((lastCycle?.CumulativeLiposomalDoxorubicinMgPerM2 ?? 0m) + dose.LiposomalDoxorubicinMgPerM2),
        };
    }

    private static decimal Tenth(decimal mgPerM2) => Math.Round(mgPerM2, 1, MidpointRounding.AwayFromZero);
}
