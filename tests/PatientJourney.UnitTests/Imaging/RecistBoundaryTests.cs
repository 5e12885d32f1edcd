using PatientJourney.Contracts.Imaging;
using PatientJourney.Imaging.Response;

namespace PatientJourney.UnitTests.Imaging;

public class RecistBoundaryTests
{
    private static TargetLesion L(decimal mm) => new("x", "site", mm);

    [Theory]
    [InlineData(100, 119.9, RecistCategory.StableDisease)]       // +19.9% over the nadir
    [InlineData(100, 120, RecistCategory.ProgressiveDisease)]    // +20% and +20 mm
    [InlineData(20, 24, RecistCategory.StableDisease)]           // +20% but only +4 mm
    [InlineData(25, 30, RecistCategory.ProgressiveDisease)]      // +20% and +5 mm
    [InlineData(100, 119.95, RecistCategory.StableDisease)]      // +19.95%: displayed as +20.0%, still short of 20%
    [InlineData(24.5, 29.4, RecistCategory.StableDisease)]       // exactly +20% but +4.9 mm
    [InlineData(24.5, 29.5, RecistCategory.ProgressiveDisease)]  // +20.4% and +5 mm
    public void Progression_boundaries_over_the_nadir(decimal nadirMm, decimal sumMm, RecistCategory expected) =>
        // Baseline equal to the nadir keeps the baseline rule (PR at -30%) out of the way.
        Assert.Equal(expected, Recist.Assess([L(sumMm)], false, nadirMm, [nadirMm]).Category);

    [Theory]
    [InlineData(70.1, RecistCategory.StableDisease)]   // -29.9%
    [InlineData(70, RecistCategory.PartialResponse)]   // -30%
    public void Partial_response_boundary_from_baseline(decimal sumMm, RecistCategory expected) =>
        Assert.Equal(expected, Recist.Assess([L(sumMm)], false, 100m, []).Category);

    [Theory]
    [InlineData(140.1, RecistCategory.StableDisease)]  // -29.95%: displayed as -30.0%, still short of 30%
    [InlineData(140, RecistCategory.PartialResponse)]  // -30%
    public void Thresholds_compare_the_measurements_not_the_rounded_percentage(decimal sumMm, RecistCategory expected)
    {
        var assessment = Recist.Assess([L(sumMm)], false, 200m, []);
        Assert.Equal((expected, -30.0m), (assessment.Category, assessment.ChangeFromBaselinePercent));
    }

    [Theory]
    [InlineData(10)]  // 30 -> 0 -> 10 mm: over a nadir of 0 by more than 5 mm
    [InlineData(3)]   // 30 -> 0 -> 3 mm: too small for the 5 mm rule, still a lesion back after a complete response
    public void A_target_lesion_back_after_a_complete_response_is_progression(decimal mm) =>
        Assert.Equal(RecistCategory.ProgressiveDisease, Recist.Assess([L(mm)], false, 30m, [0m], completeResponseReached: true).Category);

    [Fact]
    public void A_node_back_to_10_mm_after_a_complete_response_is_progression() =>
        Assert.Equal(RecistCategory.ProgressiveDisease,
            Recist.Assess([new TargetLesion("n", "node", 10m, LymphNode: true)], false, 20m, [8m], completeResponseReached: true).Category);

    [Fact]
    public void A_complete_response_that_holds_stays_complete() =>
        Assert.Equal(RecistCategory.CompleteResponse,
            Recist.Assess([L(0), new TargetLesion("n", "node", 9.9m, LymphNode: true)], false, 40m, [9.9m], completeResponseReached: true).Category);
}
