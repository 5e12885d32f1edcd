using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Terminology;

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

/// <summary>What a cycle adds to the cardiotoxic ledger, per m2 of body surface.</summary>
public sealed record CardiotoxicDose(decimal DoxorubicinMgPerM2, decimal DoxorubicinEquivalentMgPerM2, decimal LiposomalDoxorubicinMgPerM2);

public static class CycleDoses
{
    /// <summary>What a cycle gives of each drug: per-m2 doses x BSA x days, flat doses x days, less any reduction.</summary>
    public static IReadOnlyList<AdministeredDrug> Administered(IEnumerable<RegimenDrug> drugs, decimal bsaM2, decimal doseReductionPercent) =>
        drugs.Select(d =>
        {
            var perDay = DoseMgPerDay(d, bsaM2) * Factor(doseReductionPercent);
            return new AdministeredDrug(d.Drug, Round(perDay), d.Days.Count, Round(perDay * d.Days.Count), d.Route, d.Purpose, d.RxNorm, d.Atc);
        }).ToList();

    // Pharmacies round a prepared dose to 0.1 mg, halves up.
    private static decimal Round(decimal mg) => Math.Round(mg, 1, MidpointRounding.AwayFromZero);

    /// <summary>
    /// The anthracyclines one cycle gives per m2 of body surface (the unit of their lifetime ceiling), each drug as the
    /// formulary resolves its name: conventional doxorubicin by any of its names; every anthracycline with a published
    /// equivalence in doxorubicin-equivalent mg/m2 (Feijen et al., JAMA Oncol 2019;5:864, Table 3); pegylated liposomal
    /// doxorubicin on its own line, in neither total (its cardiotoxicity per mg is not that of doxorubicin).
    /// </summary>
    public static CardiotoxicDose CardiotoxicMgPerM2(IEnumerable<RegimenDrug> drugs, decimal bsaM2, decimal doseReductionPercent, Formulary formulary)
    {
        decimal doxorubicin = 0m, equivalent = 0m, liposomal = 0m;
        foreach (var d in drugs)
        {
            if (formulary.Find(d.Drug) is not { Anthracycline: true } drug) continue;
            var mgPerM2 = (d.DosePerM2Mg ?? (DoseMgPerDay(d, bsaM2) / bsaM2)) * d.Days.Count * Factor(doseReductionPercent);
            if (drug.Liposomal) { liposomal += mgPerM2; continue; }
            if (drug.IsDoxorubicin) doxorubicin += mgPerM2;
            if (drug.DoxorubicinEquivalence is { } factor) equivalent += mgPerM2 * factor;
        }
        return new CardiotoxicDose(doxorubicin, equivalent, liposomal);
    }

    private static decimal DoseMgPerDay(RegimenDrug d, decimal bsaM2) =>
        d.DosePerM2Mg is { } perM2 ? perM2 * bsaM2 : d.DoseMg ?? (d.DoseMicrograms ?? 0m) / 1000m;

    private static decimal Factor(decimal doseReductionPercent) => 1m - doseReductionPercent / 100m;
}
