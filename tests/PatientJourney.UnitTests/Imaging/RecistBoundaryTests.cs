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
    public void Progression_boundaries_over_the_nadir(decimal nadirMm, decimal sumMm, RecistCategory expected) =>
        // Baseline equal to the nadir keeps the baseline rule (PR at -30%) out of the way.
        Assert.Equal(expected, Recist.Assess([L(sumMm)], false, nadirMm, [nadirMm]).Category);

    [Theory]
    [InlineData(70.1, RecistCategory.StableDisease)]   // -29.9%
    [InlineData(70, RecistCategory.PartialResponse)]   // -30%
    public void Partial_response_boundary_from_baseline(decimal sumMm, RecistCategory expected) =>
        Assert.Equal(expected, Recist.Assess([L(sumMm)], false, 100m, []).Category);
}
