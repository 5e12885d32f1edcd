namespace PatientJourney.Contracts;

/// <summary>Checks that more than one event (or an event and a request) share.</summary>
public static class SharedChecks
{
    public static bool IsDefined<TEnum>(FieldValidation v, TEnum value, string field) where TEnum : struct, Enum
    {
        if (Enum.IsDefined(value)) return true;
        v.Add(field, "is not a value of the contract");
        return false;
    }

    /// <summary>CTCAE v5.0 graded terms (a procedure's toxicities and complications).</summary>
    public static void GradedTerms(FieldValidation v, IReadOnlyList<GradedTerm?>? terms, string field) =>
        v.Each(terms, field, (t, f) =>
        {
            GradedTerm(v, t.Term, t.Grade, t.Treatment, f);
            v.MaxLength(t.MeddraCode, $"{f}.meddraCode", ClinicalLimits.Code);
        });

    public static void GradedTerm(FieldValidation v, string? term, int? grade, string? treatment, string field)
    {
        v.Required(term, $"{field}.term", ClinicalLimits.ShortText);
        if (v.Required(grade, $"{field}.grade")) v.Range(grade, $"{field}.grade", ClinicalLimits.CtcaeGrade);
        v.MaxLength(treatment, $"{field}.treatment", ClinicalLimits.Reason);
    }

    /// <summary>The codes a department resolved a drug to (RxNorm CUI, ATC), optional: events before the formulary have none.</summary>
    public static void DrugCodes(FieldValidation v, string? rxNorm, string? atc, string? field)
    {
        var prefix = field is null ? "" : field + ".";
        v.MaxLength(rxNorm, prefix + "rxNorm", ClinicalLimits.Code);
        v.MaxLength(atc, prefix + "atc", ClinicalLimits.Code);
    }

    /// <summary>A regimen's drug: one dose of the three kinds, given on distinct days of the cycle.</summary>
    public static void RegimenDrug(FieldValidation v, string field, string? drug, decimal? dosePerM2Mg, decimal? doseMg, decimal? doseMicrograms,
        IReadOnlyList<int>? days, int? cycleLengthDays)
    {
        v.Required(drug, $"{field}.drug", ClinicalLimits.ShortText);
        if (new[] { dosePerM2Mg, doseMg, doseMicrograms }.Count(x => x is not null) != 1)
            v.Add($"{field}.dosePerM2Mg", "exactly one of dosePerM2Mg, doseMg, doseMicrograms is required");
        v.Range(dosePerM2Mg, $"{field}.dosePerM2Mg", ClinicalLimits.DosePerM2Mg);
        v.Range(doseMg, $"{field}.doseMg", ClinicalLimits.DoseMg);
        v.Range(doseMicrograms, $"{field}.doseMicrograms", ClinicalLimits.DoseMicrograms);
        if (!v.Required(days, $"{field}.days")) return;
        if (days!.Any(day => day < 1 || day > (cycleLengthDays ?? ClinicalLimits.CycleLengthDays.Max))) v.Add($"{field}.days", "cycle days run from 1 to cycleLengthDays");
        if (days!.Distinct().Count() != days!.Count) v.Add($"{field}.days", "a cycle day is listed twice");
    }

    /// <summary>A lesion id, unique within its scan.</summary>
    public static void UniqueLesionIds(FieldValidation v, IEnumerable<string?> ids, string field)
    {
        if (ids.Where(id => id is not null).GroupBy(id => id, StringComparer.Ordinal).Any(g => g.Count() > 1))
            v.Add(field, "lesionId must be unique within a scan");
    }
}
