using PatientJourney.Contracts;
using PatientJourney.Contracts.Terminology;

namespace PatientJourney.UnitTests.Terminology;

public class CtcaeTermTests
{
    private static IDictionary<string, string[]> Check(string term, int grade)
    {
        var v = new FieldValidation();
        ClinicalTerminology.Published.GradedTerm(v, term, grade, "term", "grade");
        return v.Errors;
    }

    // NCI CTCAE v5.0 (27 Nov 2017): the grades each term's table defines.
    [Theory]
    [InlineData("Nausea", 3, true)]
    [InlineData("nausea", 4, false)]
    [InlineData("nausea", 5, false)]
    [InlineData("Vomiting", 5, true)]
    [InlineData("Alopecia", 2, true)]
    [InlineData("alopecia", 3, false)]
    [InlineData("Fatigue", 3, true)]
    [InlineData("fatigue", 4, false)]
    [InlineData("Febrile neutropenia", 2, false)]
    [InlineData("febrile neutropenia", 3, true)]
    [InlineData("Febrile neutropenia", 5, true)]
    [InlineData("Neutrophil count decreased", 4, true)]
    [InlineData("Neutrophil count decreased", 5, false)]
    [InlineData("urinary tract infection", 1, false)]
    [InlineData(" Urinary tract infection ", 2, true)]
    [InlineData("Lymphocyte count decreased", 4, true)]
    [InlineData("lymphocyte count decreased", 5, false)]
    [InlineData("Death NOS", 4, false)]
    [InlineData("Death NOS", 5, true)]
    [InlineData("Ejection fraction decreased", 1, false)]
    [InlineData("Ejection fraction decreased", 5, false)]
    [InlineData("Acute kidney injury", 2, false)]
    [InlineData("Encephalopathy", 5, true)]
    public void A_grade_the_term_does_not_admit_is_refused_naming_grade(string term, int grade, bool admitted) =>
        Assert.Equal(admitted ? [] : ["grade"], Check(term, grade).Keys);

    [Fact]
    public void The_refusal_says_which_grades_the_term_admits() =>
        Assert.Equal(["CTCAE v5.0 Nausea admits grades 1-3 only"], Check("nausea", 5)["grade"]);

    public static TheoryData<string, int> EveryTermsTopGrade()
    {
        var data = new TheoryData<string, int>();
        foreach (var t in CtcaeTerms.Published.Terms) data.Add(t.Term, t.Grades.Max());
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryTermsTopGrade))]
    public void Every_term_admits_its_top_grade_and_refuses_the_one_above(string term, int top)
    {
        Assert.Empty(Check(term, top));
        if (top < 5) Assert.Equal(["grade"], Check(term, top + 1).Keys);
    }

    [Theory]
    [InlineData("neutropenia")]
    [InlineData("UTI")]
    [InlineData("x")]
    public void A_term_that_is_not_CTCAE_v5_is_refused_naming_term(string term) => Assert.Equal(["term"], Check(term, 2).Keys);

    [Fact]
    public void Every_term_has_an_8_digit_MedDRA_code_and_grades_within_1_to_5() =>
        Assert.All(CtcaeTerms.Published.Terms, t =>
        {
            Assert.Matches("^100[0-9]{5}$", t.MeddraCode);
            Assert.All(t.Grades, g => Assert.InRange(g, 1, 5));
        });

    [Theory]
    [InlineData("nausea")]
    [InlineData("vomiting")]
    [InlineData("fatigue")]
    [InlineData("urinary tract infection")]
    public void The_seed_case_terms_are_CTCAE_v5_terms(string term) => Assert.NotNull(CtcaeTerms.Published.Find(term));
}
