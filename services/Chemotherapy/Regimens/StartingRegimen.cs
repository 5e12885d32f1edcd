using PatientJourney.BuildingBlocks.Http;
using PatientJourney.Chemotherapy.Dosing;
using PatientJourney.Contracts.Chemotherapy;

namespace PatientJourney.Chemotherapy.Regimens;

public sealed record RegimenDrugRequest(
    string? Drug, decimal? DosePerM2Mg, decimal? DoseMg, decimal? DoseMicrograms, IReadOnlyList<int>? Days, DrugRoute? Route, DrugPurpose? Purpose);

public sealed record StartRegimen(
    string? RegimenId, string? Name, DateOnly? StartedOn, int? CycleLengthDays, decimal? HeightCm, decimal? WeightKg,
    IReadOnlyList<RegimenDrugRequest?>? Drugs, BsaFormula? BsaFormula = null) : IValidatedRequest
{
    public void Validate(RequestValidation v, DateOnly today)
    {
        if (v.Required(RegimenId, "regimenId", 64)) v.PatientId(RegimenId, "regimenId");
        v.Required(Name, "name", 200);
        v.ClinicalDate(StartedOn, "startedOn", today);
        if (v.Required(CycleLengthDays, "cycleLengthDays")) v.Range(CycleLengthDays, "cycleLengthDays", 1, 365);
        if (v.Required(HeightCm, "heightCm")) v.Range(HeightCm, "heightCm", 30m, 250m);
        if (v.Required(WeightKg, "weightKg")) v.Range(WeightKg, "weightKg", 1m, 400m);
        if (!v.Required(Drugs, "drugs")) return;
        v.Each(Drugs, "drugs", (d, f) =>
        {
            v.Required(d.Drug, $"{f}.drug", 200);
            var doses = new[] { d.DosePerM2Mg, d.DoseMg, d.DoseMicrograms }.Count(x => x is not null);
            if (doses != 1) v.Add($"{f}.dosePerM2Mg", "exactly one of dosePerM2Mg, doseMg, doseMicrograms is required");
            // Upper bounds far above any real dose (high-dose methotrexate is 12 g/m2) but below arithmetic overflow.
            v.Range(d.DosePerM2Mg, $"{f}.dosePerM2Mg", 0.001m, 50_000m);
            v.Range(d.DoseMg, $"{f}.doseMg", 0.001m, 100_000m);
            v.Range(d.DoseMicrograms, $"{f}.doseMicrograms", 0.001m, 10_000_000m);
            if (v.Required(d.Days, $"{f}.days"))
            {
                if (d.Days!.Any(day => day < 1 || day > (CycleLengthDays ?? 365))) v.Add($"{f}.days", "cycle days run from 1 to cycleLengthDays");
                if (d.Days!.Distinct().Count() != d.Days!.Count) v.Add($"{f}.days", "a cycle day is listed twice");
            }
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
