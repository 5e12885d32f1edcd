using PatientJourney.DepartmentKit;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Interventional;
using PatientJourney.Interventional;
using PatientJourney.Interventional.Tace;

namespace PatientJourney.UnitTests.Interventional;

public class TaceTests
{
    private static readonly DateOnly Today = new(2026, 12, 6);

    private static PerformTace Tace(decimal? doseMg, params GradedTermRequest?[] toxicities) =>
        new(new DateOnly(2011, 7, 12), "liver", " doxorubicin ", doseMg, "beads", null, toxicities);

    [Fact]
    public void A_TACE_records_its_drug_trimmed_its_dose_and_its_graded_toxicities()
    {
        var context = new CommandContext("LMS-0001", [], Today, new Dictionary<string, string>());
        var tace = Assert.IsType<TacePerformed>(Assert.Single(PerformingTace.Decide(Tace(150m, new GradedTermRequest("nausea", 2, null)), context).Events));
        Assert.Equal(("doxorubicin", 150m), (tace.Drug, tace.DoseMg));
        Assert.Equal(new GradedTerm("nausea", 2, MeddraCode: "10028813"), Assert.Single(tace.Toxicities));
        Assert.False(tace.Validate(Today).IsValid); // not yet stamped by the writer: no event id, no recordedBy
        Assert.True((tace with { EventId = Guid.NewGuid(), RecordedBy = "ir.desk" }).Validate(Today).IsValid);
    }

    [Theory]
    [InlineData(0.001, true)]
    [InlineData(10000, true)]
    [InlineData(0, false)]
    [InlineData(10000.001, false)]
    public void A_TACE_dose_runs_from_1_microgram_to_10_grams(decimal doseMg, bool valid)
    {
        var v = new FieldValidation();
        Tace(doseMg).Validate(v, Today);
        Assert.Equal(valid, v.IsValid);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(5, true)]
    [InlineData(0, false)]
    [InlineData(6, false)]
    public void A_toxicity_is_graded_by_CTCAE_1_to_5(int grade, bool valid)
    {
        var v = new FieldValidation();
        Tace(150m, new GradedTermRequest("nausea", grade, null)).Validate(v, Today);
        Assert.Equal(valid, v.IsValid);
        if (!valid) Assert.Equal(["toxicities[0].grade"], v.Errors.Keys);
    }
}
