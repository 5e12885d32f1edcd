using PatientJourney.Contracts;
using PatientJourney.Contracts.Terminology;

namespace PatientJourney.Interventional;

public sealed record GradedTermRequest(string? Term, int? Grade, string? Treatment);

public static class GradedTerms
{
    // CTCAE v5.0 grades 1-5, for procedure toxicities and complications alike.
    public static void Validate(FieldValidation v, IReadOnlyList<GradedTermRequest?>? terms, string field) =>
        v.Each(terms, field, (t, f) => SharedChecks.GradedTerm(v, t.Term, t.Grade, t.Treatment, f));

    // NCI CTCAE v5.0: a term, and only the grades its table defines.
    public static void CheckTerms(FieldValidation v, ClinicalTerminology terminology, IReadOnlyList<GradedTermRequest?>? terms, string field) =>
        v.Each(terms, field, (t, f) => terminology.GradedTerm(v, t.Term, t.Grade, $"{f}.term", $"{f}.grade"));

    /// <summary>Each term as the request wrote it (trimmed), with its MedDRA code.</summary>
    public static IReadOnlyList<GradedTerm> ToContract(IReadOnlyList<GradedTermRequest?>? terms, CtcaeTerms? ctcae = null) =>
        (terms ?? []).Select(t => new GradedTerm(t!.Term!.Trim(), t.Grade!.Value, t.Treatment, (ctcae ?? CtcaeTerms.Published).Find(t.Term)?.MeddraCode)).ToList();
}
