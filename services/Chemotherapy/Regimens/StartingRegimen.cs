using PatientJourney.Contracts;
using PatientJourney.DepartmentKit;
using PatientJourney.Chemotherapy.Dosing;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Terminology;

namespace PatientJourney.Chemotherapy.Regimens;

public sealed record RegimenDrugRequest(
    string? Drug, decimal? DosePerM2Mg, decimal? DoseMg, decimal? DoseMicrograms, IReadOnlyList<int>? Days, DrugRoute? Route, DrugPurpose? Purpose);

public sealed record StartRegimen(
    string? RegimenId, string? Name, DateOnly? StartedOn, int? CycleLengthDays, decimal? HeightCm, decimal? WeightKg,
    IReadOnlyList<RegimenDrugRequest?>? Drugs, BsaFormula? BsaFormula = null) : IValidatedRequest, ITerminologyRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        if (v.Required(RegimenId, "regimenId", ClinicalLimits.Id)) v.PatientId(RegimenId, "regimenId");
        v.Required(Name, "name", ClinicalLimits.ShortText);
        v.ClinicalDate(StartedOn, "startedOn", today);
        if (v.Required(CycleLengthDays, "cycleLengthDays")) v.Range(CycleLengthDays, "cycleLengthDays", ClinicalLimits.CycleLengthDays);
        if (v.Required(HeightCm, "heightCm")) v.Range(HeightCm, "heightCm", ClinicalLimits.HeightCm);
        if (v.Required(WeightKg, "weightKg")) v.Range(WeightKg, "weightKg", ClinicalLimits.WeightKg);
        if (!v.Required(Drugs, "drugs")) return;
        v.Each(Drugs, "drugs", (d, f) =>
        {
            SharedChecks.RegimenDrug(v, f, d.Drug, d.DosePerM2Mg, d.DoseMg, d.DoseMicrograms, d.Days, CycleLengthDays);
            v.Required(d.Route, $"{f}.route");
        });
    }

    // A drug the formulary does not know would escape the cardiotoxic ledger unseen (issue 28, finding 8).
    public void CheckTerms(FieldValidation v, ClinicalTerminology terminology) =>
        v.Each(Drugs, "drugs", (d, f) => terminology.Drug(v, d.Drug, $"{f}.drug"));
}

public static class StartingRegimen
{
    public static void Map(IEndpointRouteBuilder patient)
    {
        var terminology = patient.Terminology();
        patient.MapCommand<StartRegimen>("/regimens", (r, c) => Decide(r, c, terminology.Formulary), clinicalDateField: "startedOn")
            .Records<ChemoRegimenStarted>().WithName("StartRegimen");
    }

    /// <param name="formulary">Names each drug as the formulary does, with its codes (the published one unless given).</param>
    public static Decision Decide(StartRegimen r, CommandContext c, Formulary? formulary = null)
    {
        if (c.History.OfType<ChemoRegimenStarted>().Any(s => s.RegimenId == r.RegimenId))
            return Decision.Conflict("regimenId", $"regimen {r.RegimenId} was already started");
        return new ChemoRegimenStarted
        {
            PatientId = c.PatientId,
            OccurredOn = r.StartedOn!.Value,
            RegimenId = r.RegimenId!,
            Name = r.Name!,
            CycleLengthDays = r.CycleLengthDays!.Value,
            HeightCm = r.HeightCm!.Value,
            WeightKg = r.WeightKg!.Value,
            BsaM2 = BodySurfaceArea.M2(r.BsaFormula ?? BsaFormula.Mosteller, r.HeightCm.Value, r.WeightKg.Value),
            BsaFormula = r.BsaFormula ?? BsaFormula.Mosteller,
            Drugs = r.Drugs!.Select(d =>
            {
                var drug = (formulary ?? Formulary.Published).Find(d!.Drug);
                return new RegimenDrug(
                    drug?.Name ?? d.Drug!.Trim(), d.DosePerM2Mg, d.DoseMg, d.DoseMicrograms, d.Days!.Order().ToList(), d.Route!.Value,
                    d.Purpose ?? DrugPurpose.Antineoplastic, drug?.RxNorm, drug?.Atc);
            }).ToList(),
        };
    }
}
