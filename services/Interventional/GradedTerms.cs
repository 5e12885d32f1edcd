using PatientJourney.Contracts;

namespace PatientJourney.Interventional;

public sealed record GradedTermRequest(string? Term, int? Grade, string? Treatment);

public static class GradedTerms
{
    // CTCAE v5.0 grades 1-5, for procedure toxicities and complications alike.
    public static void Validate(FieldValidation v, IReadOnlyList<GradedTermRequest?>? terms, string field) =>
        v.Each(terms, field, (t, f) => SharedChecks.GradedTerm(v, t.Term, t.Grade, t.Treatment, f));

    public static IReadOnlyList<GradedTerm> ToContract(IReadOnlyList<GradedTermRequest?>? terms) =>
        (terms ?? []).Select(t => new GradedTerm(t!.Term!, t.Grade!.Value, t.Treatment)).ToList();
}
