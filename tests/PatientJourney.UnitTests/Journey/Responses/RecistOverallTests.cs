using PatientJourney.Contracts.Imaging;
using PatientJourney.Journey.Responses;
using static PatientJourney.Contracts.Imaging.RecistCategory;
using static PatientJourney.UnitTests.Journey.Responses.Scans;

namespace PatientJourney.UnitTests.Journey.Responses;

/// <summary>RECIST 1.1 non-target lesions (section 4.3.2) and the overall response of tables 1 and 2.</summary>
public class RecistOverallTests
{
    [Theory] // Table 1: target, non-target, new lesions -> overall.
    [InlineData(CompleteResponse, CompleteResponse, false, CompleteResponse)]
    [InlineData(CompleteResponse, NonCompleteNonProgressive, false, PartialResponse)]
    [InlineData(CompleteResponse, NotEvaluable, false, PartialResponse)]
    [InlineData(PartialResponse, NonCompleteNonProgressive, false, PartialResponse)]
    [InlineData(PartialResponse, NotEvaluable, false, PartialResponse)]
    [InlineData(StableDisease, NotEvaluable, false, StableDisease)]
    [InlineData(NotEvaluable, NonCompleteNonProgressive, false, NotEvaluable)]
    [InlineData(ProgressiveDisease, CompleteResponse, false, ProgressiveDisease)]
    [InlineData(CompleteResponse, ProgressiveDisease, false, ProgressiveDisease)]
    [InlineData(CompleteResponse, CompleteResponse, true, ProgressiveDisease)]
    public void Table_1_targets_with_non_targets(RecistCategory target, RecistCategory nonTarget, bool newLesions, RecistCategory overall) =>
        Assert.Equal(overall, Recist.Overall(target, nonTarget, newLesions));

    [Theory] // Table 2: non-target lesions only.
    [InlineData(CompleteResponse, false, CompleteResponse)]
    [InlineData(NonCompleteNonProgressive, false, NonCompleteNonProgressive)]
    [InlineData(NotEvaluable, false, NotEvaluable)]
    [InlineData(ProgressiveDisease, false, ProgressiveDisease)]
    [InlineData(NonCompleteNonProgressive, true, ProgressiveDisease)]
    public void Table_2_non_targets_only(RecistCategory nonTarget, bool newLesions, RecistCategory overall) =>
        Assert.Equal(overall, Recist.Overall(null, nonTarget, newLesions));

    [Fact]
    public void Unequivocal_non_target_progression_is_progression_while_the_targets_shrink()
    {
        var baseline = Ct("2020-01-01", [T("a", 50)], [N("pleura", NonTargetStatus.Present)]);
        var a = Recist.Assess(baseline, Ct("2020-04-01", [T("a", 20)], [N("pleura", NonTargetStatus.UnequivocalProgression)]), [], false);
        Assert.Equal((PartialResponse, ProgressiveDisease, ProgressiveDisease), (a.TargetResponse!.Value, a.NonTargetResponse!.Value, a.Category));
    }

    [Fact]
    public void Non_targets_decide_a_complete_response()
    {
        var baseline = Ct("2020-01-01", [T("a", 50)], [N("pleura", NonTargetStatus.Present), N("bone", NonTargetStatus.Present)]);
        Assert.Equal(CompleteResponse, Recist.Assess(baseline, Ct("2020-04-01", [T("a", 0)], [N("pleura", NonTargetStatus.Absent), N("bone", NonTargetStatus.Absent)]), [], false).Category);
        Assert.Equal(PartialResponse, Recist.Assess(baseline, Ct("2020-04-01", [T("a", 0)], [N("pleura", NonTargetStatus.Absent), N("bone", NonTargetStatus.Present)]), [], false).Category);
        // A non-target not reported: not evaluable, which keeps a complete target response from being a complete response.
        var missing = Recist.Assess(baseline, Ct("2020-04-01", [T("a", 0)], [N("pleura", NonTargetStatus.Absent)]), [], false);
        Assert.Equal((NotEvaluable, PartialResponse), (missing.NonTargetResponse!.Value, missing.Category));
        Assert.Equal(["bone"], missing.NotAssessed);
    }

    [Fact]
    public void Non_target_disease_only_is_assessed_by_table_2()
    {
        var baseline = Ct("2020-01-01", [], [N("ascites", NonTargetStatus.Present)]);
        var a = Recist.Assess(baseline, Ct("2020-04-01", [], [N("ascites", NonTargetStatus.Present)]), [], false);
        Assert.Equal(((RecistCategory?)null, NonCompleteNonProgressive), (a.TargetResponse, a.Category));
    }
}
