using PatientJourney.Contracts.Imaging;
using PatientJourney.Imaging.Response;

namespace PatientJourney.UnitTests.Imaging;

public class RecistTests
{
    private static TargetLesion L(decimal mm, bool node = false) => new("x", "site", mm, node);

    [Fact]
    public void Seed_case_after_five_cycles_is_a_partial_response_of_minus_33_9_percent()
    {
        var a = Recist.Assess([L(34), L(28), L(18)], false, 121m, []);
        Assert.Equal((80m, -33.9m, RecistCategory.PartialResponse), (a.SumMm, a.ChangeFromBaselinePercent, a.Category));
    }

    [Fact]
    public void Exactly_30_percent_below_baseline_is_partial_response_and_29_9_is_stable() =>
        Assert.Equal(
            (RecistCategory.PartialResponse, RecistCategory.StableDisease),
            (Recist.Assess([L(70)], false, 100m, []).Category, Recist.Assess([L(70.1m)], false, 100m, []).Category));

    [Fact]
    public void Progression_needs_20_percent_and_5_mm_above_the_nadir()
    {
        Assert.Equal(RecistCategory.ProgressiveDisease, Recist.Assess([L(60)], false, 100m, [50m]).Category); // +20%, +10 mm over nadir 50
        Assert.Equal(RecistCategory.StableDisease, Recist.Assess([L(24)], false, 30m, [20m]).Category);       // +20% but only 4 mm, -20% from baseline
    }

    [Fact]
    public void A_new_lesion_is_progression_whatever_the_sum() =>
        Assert.Equal(RecistCategory.ProgressiveDisease, Recist.Assess([L(10)], true, 100m, []).Category);

    [Fact]
    public void Complete_response_when_non_nodal_targets_are_gone_and_nodes_are_below_10_mm()
    {
        Assert.Equal(RecistCategory.CompleteResponse, Recist.Assess([L(0), L(9.9m, node: true)], false, 100m, []).Category);
        Assert.NotEqual(RecistCategory.CompleteResponse, Recist.Assess([L(0), L(10, node: true)], false, 100m, []).Category);
    }
}
