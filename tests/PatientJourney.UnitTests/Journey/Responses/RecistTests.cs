using PatientJourney.Contracts.Imaging;
using PatientJourney.Journey.Responses;
using static PatientJourney.UnitTests.Journey.Responses.Scans;

namespace PatientJourney.UnitTests.Journey.Responses;

/// <summary>RECIST 1.1 target lesions (Eisenhauer 2009, section 4.3.1), at the exact edges of each rule.</summary>
public class RecistTests
{
    private static readonly CtResulted Baseline100 = Ct("2020-01-01", [T("a", 100)]);

    private static RecistAssessment Assess(CtResulted baseline, decimal mm, IEnumerable<decimal>? earlier = null, bool cr = false) =>
        Recist.Assess(baseline, Ct("2020-04-01", [T(baseline.TargetLesions[0].LesionId, mm, baseline.TargetLesions[0].LymphNode)]), earlier ?? [], cr);

    [Fact]
    public void Seed_case_after_five_cycles_is_a_partial_response_of_minus_33_9_percent()
    {
        var baseline = Ct("2010-12-22", [T("rp", 51), T("l8", 42), T("l6", 28)]);
        var a = Recist.Assess(baseline, Ct("2011-04-26", [T("rp", 34), T("l8", 28), T("l6", 18)]), [], false);
        Assert.Equal((80m, -33.9m, RecistCategory.PartialResponse), (a.SumOfDiametersMm, a.ChangeFromBaselinePercent, a.Category));
    }

    [Theory]
    [InlineData(100, 119.9, RecistCategory.StableDisease)]       // +19.9 % over the nadir
    [InlineData(100, 120, RecistCategory.ProgressiveDisease)]    // +20 % and +20 mm
    [InlineData(100, 119.95, RecistCategory.StableDisease)]      // +19.95 %: displayed +20.0 %, still short of 20 %
    [InlineData(20, 24, RecistCategory.StableDisease)]           // +20 % but only +4 mm
    [InlineData(25, 30, RecistCategory.ProgressiveDisease)]      // +20 % and +5 mm
    [InlineData(24.5, 29.4, RecistCategory.StableDisease)]       // exactly +20 % but +4.9 mm
    [InlineData(24.5, 29.5, RecistCategory.ProgressiveDisease)]  // +20.4 % and +5 mm
    public void Progression_needs_20_percent_and_5_mm_over_the_nadir(decimal nadirMm, decimal sumMm, RecistCategory expected) =>
        // The baseline is the nadir, which keeps the partial-response rule out of the way.
        Assert.Equal(expected, Assess(Ct("2020-01-01", [T("a", nadirMm)]), sumMm).Category);

    [Theory]
    [InlineData(140.1, RecistCategory.StableDisease)]  // -29.95 %: displayed -30.0 %, still short of 30 %
    [InlineData(140, RecistCategory.PartialResponse)]  // -30 %
    public void Partial_response_compares_the_measurements_not_the_rounded_percentage(decimal sumMm, RecistCategory expected)
    {
        var a = Assess(Ct("2020-01-01", [T("a", 200)]), sumMm);
        Assert.Equal((expected, -30.0m), (a.Category, a.ChangeFromBaselinePercent));
    }

    [Fact]
    public void The_nadir_is_the_smallest_earlier_sum_and_progression_is_measured_from_it()
    {
        var a = Assess(Baseline100, 60, earlier: [50m]);
        Assert.Equal((RecistCategory.ProgressiveDisease, 50m, 20.0m, -40.0m), (a.Category, a.NadirSumMm, a.ChangeFromNadirPercent, a.ChangeFromBaselinePercent));
    }

    [Fact]
    public void A_new_lesion_is_progression_whatever_the_sum() =>
        Assert.Equal(RecistCategory.ProgressiveDisease, Recist.Assess(Baseline100, Ct("2020-04-01", [T("a", 10)], newLesions: true), [], false).Category);

    [Fact]
    public void Complete_response_when_non_nodal_targets_are_gone_and_nodes_are_below_10_mm()
    {
        var baseline = Ct("2020-01-01", [T("a", 40), T("n", 20, node: true)]);
        Assert.Equal(RecistCategory.CompleteResponse, Recist.Assess(baseline, Ct("2020-04-01", [T("a", 0), T("n", 9.9m, node: true)]), [], false).Category);
        Assert.Equal(RecistCategory.PartialResponse, Recist.Assess(baseline, Ct("2020-04-01", [T("a", 0), T("n", 10, node: true)]), [], false).Category);
    }

    [Theory]
    [InlineData(10)] // 30 -> 0 -> 10 mm: past the nadir of 0 by more than 5 mm
    [InlineData(3)]  // 30 -> 0 -> 3 mm: short of the 5 mm rule, still a lesion back after a complete response
    public void A_target_back_after_a_complete_response_is_progression_with_no_percentage_of_a_nadir_of_0(decimal mm)
    {
        var a = Assess(Ct("2020-01-01", [T("a", 30)]), mm, earlier: [0m], cr: true);
        Assert.Equal((RecistCategory.ProgressiveDisease, 0m, (decimal?)null), (a.Category, a.NadirSumMm, a.ChangeFromNadirPercent));
    }

    [Fact]
    public void A_node_back_to_10_mm_after_a_complete_response_is_progression_and_one_under_10_stays_complete()
    {
        var baseline = Ct("2020-01-01", [T("n", 20, node: true)]);
        Assert.Equal(RecistCategory.ProgressiveDisease, Assess(baseline, 10, earlier: [8m], cr: true).Category);
        Assert.Equal(RecistCategory.CompleteResponse, Assess(baseline, 9.9m, earlier: [8m], cr: true).Category);
    }

    [Fact]
    public void A_follow_up_with_no_target_measured_is_not_evaluable_not_a_complete_response()
    {
        var a = Recist.Assess(Ct("2020-01-01", [T("a", 30), T("b", 20), T("c", 50)]), Ct("2020-04-01", []), [], false);
        Assert.Equal((RecistCategory.NotEvaluable, RecistCategory.NotEvaluable, (decimal?)null), (a.Category, a.TargetResponse, a.ChangeFromBaselinePercent));
        Assert.Equal(["a", "b", "c"], a.NotAssessed);
    }

    [Fact]
    public void One_of_three_targets_measured_is_not_evaluable_unless_it_alone_proves_progression()
    {
        var baseline = Ct("2020-01-01", [T("a", 30), T("b", 20), T("c", 50)]);
        Assert.Equal(RecistCategory.NotEvaluable, Recist.Assess(baseline, Ct("2020-04-01", [T("a", 30)]), [], false).Category);
        // 120 mm of one target is already 20 % and 5 mm over the nadir of 100: PD whatever the others measure.
        Assert.Equal(RecistCategory.ProgressiveDisease, Recist.Assess(baseline, Ct("2020-04-01", [T("c", 120)]), [], false).Category);
    }

    [Fact]
    public void Lesions_that_are_not_the_baselines_targets_do_not_count_as_measured() =>
        Assert.Equal(RecistCategory.NotEvaluable, Recist.Assess(Baseline100, Ct("2020-04-01", [T("z", 10)]), [], false).Category);
}
