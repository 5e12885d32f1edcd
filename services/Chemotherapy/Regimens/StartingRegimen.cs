using PatientJourney.Contracts;
using PatientJourney.DepartmentKit;
using PatientJourney.Chemotherapy.Dosing;
using PatientJourney.Contracts.Chemotherapy;

namespace PatientJourney.Chemotherapy.Regimens;

public sealed record RegimenDrugRequest(
    string? Drug, decimal? DosePerM2Mg, decimal? DoseMg, decimal? DoseMicrograms, IReadOnlyList<int>? Days, DrugRoute? Route, DrugPurpose? Purpose);

public sealed record StartRegimen(
    string? RegimenId, string? Name, DateOnly? StartedOn, int? CycleLengthDays, decimal? HeightCm, decimal? WeightKg,
    IReadOnlyList<RegimenDrugRequest?>? Drugs, BsaFormula? BsaFormula = null) : IValidatedRequest
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
}

public static class StartingRegimen
{
    public static void Map(IEndpointRouteBuilder patient) =>
        patient.MapCommand<StartRegimen>("/regimens", Decide, clinicalDateField: "startedOn").WithName("StartRegimen");

    public static Decision Decide(StartRegimen r, CommandContext c)
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
            Drugs = r.Drugs!.Select(d => new RegimenDrug(
                d!.Drug!.Trim(), d.DosePerM2Mg, d.DoseMg, d.DoseMicrograms, d.Days!.Order().ToList(), d.Route!.Value,
                d.Purpose ?? DrugPurpose.Antineoplastic)).ToList(),
        };
    }
}
