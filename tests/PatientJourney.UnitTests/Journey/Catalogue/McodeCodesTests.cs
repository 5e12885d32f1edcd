using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Imaging;
using PatientJourney.Journey.Catalogue;

namespace PatientJourney.UnitTests.Journey.Catalogue;

public class McodeCodesTests
{
    [Theory]
    [InlineData(RecistCategory.CompleteResponse, "268910001")]
    [InlineData(RecistCategory.PartialResponse, "268910001")]
    [InlineData(RecistCategory.StableDisease, "359746009")]
    [InlineData(RecistCategory.NonCompleteNonProgressive, "359746009")]
    [InlineData(RecistCategory.ProgressiveDisease, "271299001")]
    [InlineData(RecistCategory.NotEvaluable, "709137006")]
    public void Every_RECIST_category_is_a_condition_status_trend(RecistCategory category, string snomed)
    {
        var trend = McodeCodes.Trend(category);
        Assert.Equal((McodeCodes.Snomed, snomed), (trend.System, trend.Code));
    }

    [Theory]
    [InlineData(MetabolicCategory.CompleteMetabolicResponse, "268910001")]
    [InlineData(MetabolicCategory.PartialMetabolicResponse, "268910001")]
    [InlineData(MetabolicCategory.StableMetabolicDisease, "359746009")]
    [InlineData(MetabolicCategory.ProgressiveMetabolicDisease, "271299001")]
    [InlineData(MetabolicCategory.NotEvaluable, "709137006")]
    public void Every_EORTC_category_is_a_condition_status_trend(MetabolicCategory category, string snomed) =>
        Assert.Equal(snomed, McodeCodes.Trend(category).Code);

    [Fact]
    public void Each_ECOG_grade_has_its_own_LOINC_answer_and_a_grade_beyond_5_has_none()
    {
        var answers = Enumerable.Range(0, 6).Select(McodeCodes.EcogAnswer).ToList();
        Assert.All(answers, a => Assert.Equal(McodeCodes.Loinc, a.System));
        Assert.Equal(["LA9622-7", "LA9623-5", "LA9624-3", "LA9625-0", "LA9626-8", "LA9627-6"], answers.Select(a => a.Code));
        Assert.Throws<ArgumentOutOfRangeException>(() => McodeCodes.EcogAnswer(6));
    }

    [Theory]
    [InlineData("liver (segments VIII, IV, VI)", "10200004", "C22.0", "C78.7")]
    [InlineData("both hepatic lobes", "10200004", "C22.0", "C78.7")]
    [InlineData("retroperitoneal lymph nodes", "91394001", "C77.2", "C77.2")]
    [InlineData("right supraclavicular lymph nodes (resected, 35 x 27 mm)", "76838003", "C77.0", "C77.0")]
    public void A_named_site_is_coded_as_body_structure_topography_and_secondary_neoplasm(string text, string snomed, string topography, string icd10)
    {
        var site = McodeCodes.SiteOf(text);
        Assert.NotNull(site);
        Assert.Equal((snomed, topography, icd10), (site.BodyStructure?.Code, site.Topography.Code, site.SecondaryNeoplasm?.Code));
    }

    [Fact]
    public void Only_the_liver_has_a_SNOMED_CT_secondary_neoplasm_a_source_confirmed()
    {
        Assert.Equal("94381002", McodeCodes.SiteOf("liver")?.SecondaryDisorder?.Code);
        Assert.Null(McodeCodes.SiteOf("retroperitoneal lymph nodes")?.SecondaryDisorder);
    }

    [Fact]
    public void A_retroperitoneal_mass_that_is_not_a_node_and_a_site_no_source_coded_stay_text()
    {
        Assert.Null(McodeCodes.SiteOf("retroperitoneal mass near inferior pole of right kidney"));
        Assert.Null(McodeCodes.SiteOf("uterus"));
        var concept = McodeCodes.BodySite("uterus");
        Assert.Equal("uterus", concept.Text);
        Assert.Empty(concept.Coding);
    }

    [Fact]
    public void Leiomyosarcoma_is_coded_in_SNOMED_CT_and_ICD_O_3_and_an_unknown_histology_is_not()
    {
        var histology = McodeCodes.HistologyOf("leiomyosarcoma");
        Assert.NotNull(histology);
        Assert.Equal(("1163022006", "8890/3", "C49.9"), (histology.Snomed.Code, histology.IcdO3.Code, histology.UnknownPrimaryIcd10Cm?.Code));
        Assert.Null(McodeCodes.HistologyOf("angiosarcoma"));
    }

    [Fact]
    public void A_drug_from_before_the_formulary_gets_its_RxNorm_code_by_name_and_one_outside_it_stays_text()
    {
        var coded = McodeCodes.Medication("doxorubicin hydrochloride", rxNorm: null);
        Assert.Equal((McodeCodes.RxNorm, "3639", "doxorubicin"), (coded.Coding.Single().System, coded.Coding.Single().Code, coded.Coding.Single().Display));
        Assert.Equal("5657", McodeCodes.Medication("ifosfamide", "5657").Coding.Single().Code);
        Assert.Empty(McodeCodes.Medication("an unlisted drug", rxNorm: null).Coding);
    }

    [Fact]
    public void A_contrast_CT_of_abdomen_and_pelvis_has_its_LOINC_code_and_one_without_contrast_stays_text()
    {
        Assert.Equal("36813-4", McodeCodes.CtStudy("abdomen-pelvis", contrast: true).Coding.Single().Code);
        Assert.Empty(McodeCodes.CtStudy("abdomen-pelvis", contrast: false).Coding);
        Assert.Empty(McodeCodes.CtStudy("chest", contrast: true).Coding);
    }

    [Fact]
    public void SUVmax_carries_a_UCUM_unit()
    {
        var suv = McodeCodes.Suv(9.3m);
        Assert.Equal((McodeCodes.Ucum, "{SUV}", 9.3m), (suv.System, suv.Code, suv.Value));
    }

    [Fact]
    public void A_drug_given_on_cycle_days_1_to_5_runs_from_the_cycle_start_to_its_fifth_day_not_to_the_cycle_end()
    {
        var cycle = new ChemoCycleCompleted
        {
            PatientId = "P-1", RegimenId = "AI-1", CycleNumber = 1, StartedOn = new DateOnly(2011, 1, 10), OccurredOn = new DateOnly(2011, 1, 13),
            BsaM2 = 1.72m, Drugs = [], CumulativeDoxorubicinMgPerM2 = 60,
        };

        var filgrastim = JourneyEvents.GivenOn(cycle, [1, 2, 3, 4, 5]);
        var lateDays = JourneyEvents.GivenOn(cycle, [8, 15]);
        var unlisted = JourneyEvents.GivenOn(cycle, []);

        Assert.Equal(("2011-01-10", "2011-01-14"), (filgrastim.Start, filgrastim.End));
        Assert.Equal(("2011-01-17", "2011-01-24"), (lateDays.Start, lateDays.End));
        Assert.Equal(("2011-01-10", "2011-01-13"), (unlisted.Start, unlisted.End));
    }
}
