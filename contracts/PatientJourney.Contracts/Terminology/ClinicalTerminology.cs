namespace PatientJourney.Contracts.Terminology;

/// <summary>The formulary and the CTCAE terms a department checks its requests against: the published ones and the hospital's additions.</summary>
public sealed record ClinicalTerminology(Formulary Formulary, CtcaeTerms Ctcae)
{
    public static ClinicalTerminology Published { get; } = new(Formulary.Published, CtcaeTerms.Published);

    /// <summary>A drug of a request: in the formulary, or a 400 naming <paramref name="field"/>.</summary>
    public FormularyDrug? Drug(FieldValidation v, string? drug, string field)
    {
        if (string.IsNullOrWhiteSpace(drug)) return null; // "is required" is said by the request's own check
        var found = Formulary.Find(drug);
        if (found is null)
            v.Add(field, "is not in the formulary: name a drug by its name, a synonym, its RxNorm CUI or its ATC code " +
                "(docs/contracts/terminology/formulary.json), or ask the hospital to add it (Formulary:Additions)");
        return found;
    }

    // NCI CTCAE v5.0 (2017): a grade is admitted only where the term's table defines it (Nausea stops at 3).
    /// <summary>A graded term of a request: a CTCAE v5.0 term (400 naming <paramref name="termField"/>) and a grade it admits (400 naming <paramref name="gradeField"/>).</summary>
    public CtcaeTerm? GradedTerm(FieldValidation v, string? term, int? grade, string termField, string gradeField)
    {
        if (string.IsNullOrWhiteSpace(term)) return null;
        var found = Ctcae.Find(term);
        if (found is null)
        {
            v.Add(termField, "is not a CTCAE v5.0 term (docs/contracts/terminology/ctcae-v5.json), nor one the hospital added (Ctcae:Additions)");
            return null;
        }
        if (grade is { } g && g >= ClinicalLimits.CtcaeGrade.Min && g <= ClinicalLimits.CtcaeGrade.Max && !found.Admits(g))
            v.Add(gradeField, $"CTCAE v5.0 {found.Term} admits grades {found.GradesText} only");
        return found;
    }
}
