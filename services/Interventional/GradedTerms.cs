using PatientJourney.BuildingBlocks.Http;
using PatientJourney.Contracts;

namespace PatientJourney.Interventional;

public sealed record GradedTermRequest(string? Term, int? Grade, string? Treatment);

public static class GradedTerms
{
    // CTCAE v5.0 grades 1-5, for procedure toxicities and complications alike.
    public static void Validate(RequestValidation v, IReadOnlyList<GradedTermRequest?>? terms, string field) =>
        v.Each(terms, field, (t, f) =>
        {
            v.Required(t.Term, $"{f}.term", 200);
            if (v.Required(t.Grade, $"{f}.grade")) v.Range(t.Grade, $"{f}.grade", 1, 5);
            v.MaxLength(t.Treatment, $"{f}.treatment", 2000);
        });

    public static IReadOnlyList<GradedTerm> ToContract(IReadOnlyList<GradedTermRequest?>? terms) =>
        (terms ?? []).Select(t => new GradedTerm(t!.Term!, t.Grade!.Value, t.Treatment)).ToList();
}
