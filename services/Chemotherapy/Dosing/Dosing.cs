using PatientJourney.Contracts.Chemotherapy;

namespace PatientJourney.Chemotherapy.Dosing;

public static class BodySurfaceArea
{
    public static decimal M2(BsaFormula formula, decimal heightCm, decimal weightKg) =>
        formula == BsaFormula.DuBois ? DuBoisM2(heightCm, weightKg) : MostellerM2(heightCm, weightKg);

    // Mosteller RD. Simplified calculation of body-surface area. N Engl J Med 1987;317:1098.
    public static decimal MostellerM2(decimal heightCm, decimal weightKg) =>
        Math.Round((decimal)Math.Sqrt((double)(heightCm * weightKg) / 3600.0), 2, MidpointRounding.AwayFromZero);

    // Du Bois D, Du Bois EF. Arch Intern Med 1916;17:863: 0.007184 x W^0.425 x H^0.725.
    public static decimal DuBoisM2(decimal heightCm, decimal weightKg) =>
        Math.Round((decimal)(0.007184 * Math.Pow((double)weightKg, 0.425) * Math.Pow((double)heightCm, 0.725)), 2, MidpointRounding.AwayFromZero);
}

public static class CycleDoses
{
    public const string Doxorubicin = "doxorubicin";

    /// <summary>What a cycle gives of each drug: per-m2 doses x BSA x days, flat doses x days, less any reduction.</summary>
    public static IReadOnlyList<AdministeredDrug> Administered(IEnumerable<RegimenDrug> drugs, decimal bsaM2, decimal doseReductionPercent) =>
        drugs.Select(d =>
        {
            var perDay = DoseMgPerDay(d, bsaM2) * Factor(doseReductionPercent);
            return new AdministeredDrug(d.Drug, Round(perDay), d.Days.Count, Round(perDay * d.Days.Count), d.Route, d.Purpose);
        }).ToList();

    // Pharmacies round a prepared dose to 0.1 mg, halves up.
    private static decimal Round(decimal mg) => Math.Round(mg, 1, MidpointRounding.AwayFromZero);

    /// <summary>Doxorubicin given in one cycle per m2 of body surface (the unit of its lifetime ceiling).</summary>
    public static decimal DoxorubicinMgPerM2(IEnumerable<RegimenDrug> drugs, decimal bsaM2, decimal doseReductionPercent) =>
        drugs.Where(d => IsDoxorubicin(d.Drug))
            .Sum(d => (d.DosePerM2Mg ?? (DoseMgPerDay(d, bsaM2) / bsaM2)) * d.Days.Count * Factor(doseReductionPercent));

    public static bool IsDoxorubicin(string drug) => drug.Trim().Equals(Doxorubicin, StringComparison.OrdinalIgnoreCase);

    private static decimal DoseMgPerDay(RegimenDrug d, decimal bsaM2) =>
        d.DosePerM2Mg is { } perM2 ? perM2 * bsaM2 : d.DoseMg ?? (d.DoseMicrograms ?? 0m) / 1000m;

    private static decimal Factor(decimal doseReductionPercent) => 1m - doseReductionPercent / 100m;
}
