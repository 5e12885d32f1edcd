using PatientJourney.Contracts.Imaging;
using PatientJourney.Imaging.Response;

namespace PatientJourney.UnitTests.Imaging;

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
    [InlineData(7.496, MetabolicCategory.PartialMetabolicResponse)]    // -25.04%: displayed as -25.0%, past the threshold
    [InlineData(12.504, MetabolicCategory.ProgressiveMetabolicDisease)] // +25.04%: displayed as +25.0%, past the threshold
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
