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

public class EortcPetTests
{
    private static readonly PetCtResulted Staging = new()
    {
        PatientId = "P", OccurredOn = new DateOnly(2010, 12, 20), Indication = PetCtIndication.Staging,
        Lesions = [new PetLesion("a", "liver", 10m, null), new PetLesion("b", "node", 4m, null)],
    };

    [Theory]
    [InlineData(7.5, MetabolicCategory.StableMetabolicDisease)]        // -25%
    [InlineData(7.49, MetabolicCategory.PartialMetabolicResponse)]     // -25.1%
    [InlineData(12.5, MetabolicCategory.StableMetabolicDisease)]       // +25%
    [InlineData(12.51, MetabolicCategory.ProgressiveMetabolicDisease)] // +25.1%
    public void Peak_suvmax_change_boundaries(decimal peak, MetabolicCategory expected) =>
        Assert.Equal(expected, EortcPet.Assess(Staging, [new PetLesion("a", "liver", peak, null)]).Category);

    [Fact]
    public void A_new_lesion_is_progressive_whatever_the_peak() =>
        Assert.Equal(MetabolicCategory.ProgressiveMetabolicDisease, EortcPet.Assess(Staging, [new PetLesion("a", "liver", 2m, null), new PetLesion("c", "bone", 3m, null)]).Category);

    [Fact]
    public void Uptake_gone_is_complete_metabolic_response() =>
        Assert.Equal(MetabolicCategory.CompleteMetabolicResponse, EortcPet.Assess(Staging, []).Category);

    [Fact]
    public void Seed_case_surveillance_pet_is_a_partial_metabolic_response_per_lesion_and_at_the_peak()
    {
        var seedStaging = Staging with { Lesions = [new("liver-viii", "liver", 9.3m, null), new("rp-node", "node", 8.6m, null)] };
        var response = EortcPet.Assess(seedStaging, [new PetLesion("rp-node", "node", 2.1m, null)]);
        Assert.Equal((MetabolicCategory.PartialMetabolicResponse, -77.4m), (response.Category, response.PeakChangePercent));
        Assert.Equal(-75.6m, response.Lesions.Single().ChangePercent);
    }
}
