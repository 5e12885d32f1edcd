using PatientJourney.Contracts.Imaging;
using PatientJourney.Journey.Responses;
using static PatientJourney.UnitTests.Journey.Responses.Scans;

namespace PatientJourney.UnitTests.Journey.Responses;

/// <summary>EORTC 1999 PET response ("Response classification"), at the exact edges of each rule.</summary>
public class EortcPetTests
{
    private static readonly PetCtResulted Staging = Pet("2010-12-20", PetCtIndication.Staging, [Uptake("a", 10m), Uptake("b", 4m)]);

    private static MetabolicCategory After(int cycles, params PetLesion[] lesions) =>
        EortcPet.Assess(Staging, Pet("2011-03-01", PetCtIndication.Response, lesions), cycles).Category;

    [Theory] // After more than one cycle: a fall of more than 25 %; a rise of more than 25 % on any lesion.
    [InlineData(7.5, MetabolicCategory.StableMetabolicDisease)]         // -25 %
    [InlineData(7.496, MetabolicCategory.PartialMetabolicResponse)]     // -25.04 %: displayed -25.0 %, past the threshold
    [InlineData(12.5, MetabolicCategory.StableMetabolicDisease)]        // +25 %
    [InlineData(12.504, MetabolicCategory.ProgressiveMetabolicDisease)] // +25.04 %: displayed +25.0 %, past the threshold
    public void Peak_suvmax_edges_after_two_cycles(decimal suv, MetabolicCategory expected) =>
        Assert.Equal(expected, After(2, Uptake("a", suv), Uptake("b", 4m)));

    [Theory] // After one cycle a fall of at least 15 % is already a partial response.
    [InlineData(1, 8.5, MetabolicCategory.PartialMetabolicResponse)]  // -15 % after one cycle
    [InlineData(1, 8.51, MetabolicCategory.StableMetabolicDisease)]   // -14.9 % after one cycle
    [InlineData(2, 8.5, MetabolicCategory.StableMetabolicDisease)]    // -15 % after two cycles
    [InlineData(0, 8.5, MetabolicCategory.StableMetabolicDisease)]    // no chemotherapy: the general 25 %
    public void The_partial_response_threshold_follows_the_cycles_given(int cycles, decimal suv, MetabolicCategory expected) =>
        Assert.Equal(expected, After(cycles, Uptake("a", suv), Uptake("b", 4m)));

    [Fact]
    public void One_lesion_progressing_is_progression_while_the_peak_falls() =>
        // a 10 -> 6 (peak -40 %), b 4 -> 6 (+50 %).
        Assert.Equal(MetabolicCategory.ProgressiveMetabolicDisease, After(2, Uptake("a", 6m), Uptake("b", 6m)));

    [Fact]
    public void Extent_up_more_than_20_percent_is_progression()
    {
        var staging = Pet("2010-12-20", PetCtIndication.Staging, [Uptake("a", 10m, mm: 50m)]);
        Assert.Equal(MetabolicCategory.ProgressiveMetabolicDisease, EortcPet.Assess(staging, Pet("2011-03-01", PetCtIndication.Response, [Uptake("a", 10m, mm: 60.1m)]), 2).Category);
        Assert.Equal(MetabolicCategory.StableMetabolicDisease, EortcPet.Assess(staging, Pet("2011-03-01", PetCtIndication.Response, [Uptake("a", 10m, mm: 60m)]), 2).Category);
    }

    [Fact]
    public void New_avid_uptake_is_progression_and_new_uptake_at_background_is_not()
    {
        Assert.Equal(MetabolicCategory.ProgressiveMetabolicDisease, After(2, Uptake("a", 2m), Uptake("c", 3m)));
        Assert.Equal(MetabolicCategory.CompleteMetabolicResponse, After(2, Uptake("a", 2m, avid: false), Uptake("c", 1.5m, avid: false)));
    }

    [Fact]
    public void Complete_when_every_lesion_is_at_background_by_reference_or_by_the_report()
    {
        Assert.Equal(MetabolicCategory.CompleteMetabolicResponse, EortcPet.Assess(Staging, Pet("2011-03-01", PetCtIndication.Response, [Uptake("a", 2.1m), Uptake("b", 1.9m)], background: 2.1m), 2).Category);
        Assert.Equal(MetabolicCategory.PartialMetabolicResponse, EortcPet.Assess(Staging, Pet("2011-03-01", PetCtIndication.Response, [Uptake("a", 2.2m), Uptake("b", 1.9m)], background: 2.1m), 2).Category);
        Assert.Equal(MetabolicCategory.CompleteMetabolicResponse, After(2, Uptake("a", 2.1m, avid: false)));
        Assert.Equal(MetabolicCategory.CompleteMetabolicResponse, After(2));
    }

    [Fact]
    public void Seed_case_surveillance_pet_is_a_complete_metabolic_response_with_the_residual_uptake_reported_not_significant()
    {
        var staging = Pet("2010-12-20", PetCtIndication.Staging, [Uptake("liver-viii", 9.3m), Uptake("rp-node", 8.6m)]);
        var response = EortcPet.Assess(staging, Pet("2012-01-17", PetCtIndication.Surveillance, [Uptake("rp-node", 2.1m, avid: false)]), 6);
        Assert.Equal((MetabolicCategory.CompleteMetabolicResponse, -77.4m), (response.Category, response.PeakChangePercent));
        Assert.Equal(-75.6m, response.Lesions.Single(l => l.LesionId == "rp-node").ChangePercent);
    }

    [Fact]
    public void A_staging_scan_with_no_avid_disease_leaves_nothing_to_respond() =>
        Assert.Equal(MetabolicCategory.NotEvaluable,
            EortcPet.Assess(Pet("2010-12-20", PetCtIndication.Staging, []), Pet("2011-03-01", PetCtIndication.Response, []), 2).Category);
}
