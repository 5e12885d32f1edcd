using Microsoft.Extensions.Configuration;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Terminology;
using PatientJourney.DepartmentKit;
using PatientJourney.UnitTests.Architecture;

namespace PatientJourney.UnitTests.Terminology;

public class FormularyTests
{
    [Theory]
    [InlineData("doxorubicin")]
    [InlineData("Doxorubicin hydrochloride")]
    [InlineData("adriamycin")]
    [InlineData("  ADRIAMYCIN ")]
    [InlineData("doxorubicin  (drug-eluting beads)")]
    [InlineData("L01DB01")] // the ATC code names the conventional form, not the liposomal one that shares it
    [InlineData("3639")]    // RxNorm CUI
    public void Every_name_and_code_of_doxorubicin_resolves_to_doxorubicin(string named)
    {
        var drug = Formulary.Published.Find(named);
        Assert.Equal(("doxorubicin", "3639", "L01DB01", 1m, true), (drug?.Name, drug?.RxNorm, drug?.Atc, drug?.DoxorubicinEquivalence, drug?.IsDoxorubicin));
    }

    [Theory]
    [InlineData("Caelyx")]
    [InlineData("pegylated liposomal doxorubicin")]
    [InlineData("liposomal doxorubicin")]
    public void Liposomal_doxorubicin_is_its_own_line_with_no_equivalence(string named)
    {
        var drug = Formulary.Published.Find(named)!;
        Assert.Equal(("pegylated liposomal doxorubicin", true, false, (decimal?)null), (drug.Name, drug.Liposomal, drug.IsDoxorubicin, drug.DoxorubicinEquivalence));
    }

    // Feijen et al., JAMA Oncol 2019;5:864, Table 3 (mean ratio); idarubicin: the COG factor the study applied (note b).
    [Theory]
    [InlineData("epirubicin", 0.8)]
    [InlineData("L01DB03", 0.8)]
    [InlineData("daunorubicin", 0.6)]
    [InlineData("idarubicin", 5)]
    [InlineData("mitoxantrone", 10.5)]
    public void Other_anthracyclines_count_by_their_published_doxorubicin_equivalence(string named, decimal factor) =>
        Assert.Equal(factor, Formulary.Published.Find(named)?.DoxorubicinEquivalence);

    [Theory]
    [InlineData("doxorubicine")]
    [InlineData("adria")]
    [InlineData("L01DB99")]
    [InlineData("")]
    public void A_drug_the_formulary_does_not_know_is_not_found(string named) => Assert.Null(Formulary.Published.Find(named));

    [Fact]
    public void A_drug_not_in_the_formulary_is_refused_naming_its_field()
    {
        var v = new FieldValidation();
        Assert.Null(ClinicalTerminology.Published.Drug(v, "unobtainium", "drugs[0].drug"));
        Assert.Contains("is not in the formulary", Assert.Single(v.Errors["drugs[0].drug"]));
    }

    [Theory]
    [InlineData("ifosfamide")]
    [InlineData("mesna")]
    [InlineData("filgrastim")]
    [InlineData("pegfilgrastim")]
    [InlineData("trabectedin")]
    [InlineData("gemcitabine")]
    [InlineData("docetaxel")]
    [InlineData("pazopanib")]
    [InlineData("dacarbazine")]
    [InlineData("eribulin")]
    [InlineData("dexrazoxane")]
    [InlineData("ondansetron")]
    public void Every_agent_and_supportive_medicine_of_soft_tissue_sarcoma_regimens_is_in_the_formulary(string drug) =>
        Assert.NotNull(Formulary.Published.Find(drug)?.Atc);

    [Fact]
    public void Every_anthracycline_of_the_ATC_group_L01DB_is_in_the_formulary_as_an_anthracycline() =>
        Assert.All(Enumerable.Range(1, 11).Select(i => $"L01DB{i:00}"), atc => Assert.True(Formulary.Published.Find(atc)?.Anthracycline));

    [Fact]
    public void No_name_synonym_or_code_is_claimed_by_two_drugs_but_the_ATC_code_doxorubicin_shares_with_its_liposomal_form()
    {
        var keys = Formulary.Published.Drugs
            .SelectMany(d => new[] { d.Name, d.RxNorm }.Concat(d.Synonyms).Concat(d.Liposomal ? [] : [d.Atc]).OfType<string>().Select(k => (Key: k.ToUpperInvariant(), d.Name)))
            .GroupBy(k => k.Key).Where(g => g.Select(k => k.Name).Distinct().Count() > 1).Select(g => g.Key);
        Assert.Empty(keys);
    }

    [Fact]
    public void A_hospital_adds_a_drug_by_configuration_and_it_resolves_with_its_equivalence()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Formulary:Additions:0:Name"] = "doxorubicin (hospital compounded)",
            ["Formulary:Additions:0:Synonyms:0"] = "DOX-H",
            ["Formulary:Additions:0:Atc"] = "L01DB01",
            ["Formulary:Additions:0:DoxorubicinEquivalence"] = "1",
            ["Ctcae:Additions:0:Term"] = "Post-embolisation syndrome",
            ["Ctcae:Additions:0:MeddraCode"] = "local-0001", // the hospital's own coding; no published code is claimed here
            ["Ctcae:Additions:0:Grades:0"] = "1",
            ["Ctcae:Additions:0:Grades:1"] = "2",
            ["Ctcae:Additions:0:Grades:2"] = "3",
            ["Ctcae:Additions:0:Grades:3"] = "4",
        }).Build();
        var terminology = HospitalTerminology.From(configuration);
        Assert.Equal(("doxorubicin (hospital compounded)", 1m, true), (terminology.Formulary.Find("dox-h")?.Name, terminology.Formulary.Find("dox-h")?.DoxorubicinEquivalence, terminology.Formulary.Find("dox-h")?.IsDoxorubicin));
        Assert.Equal("doxorubicin", terminology.Formulary.Find("L01DB01")?.Name); // an addition never takes a published code away
        var v = new FieldValidation();
        terminology.GradedTerm(v, "post-embolisation syndrome", 5, "term", "grade");
        Assert.Equal(["grade"], v.Errors.Keys);
        Assert.Null(Formulary.Published.Find("dox-h"));
    }

    [Fact]
    public void Without_additions_a_department_uses_the_published_terminology() =>
        Assert.Same(ClinicalTerminology.Published, HospitalTerminology.From(new ConfigurationBuilder().Build()));

    [Theory]
    [InlineData("formulary.json")]
    [InlineData("ctcae-v5.json")]
    public void The_published_copy_for_integrators_is_the_data_the_services_ship(string file) =>
        Assert.Equal(File.ReadAllText(Path.Combine(Repository.Root, "contracts", "PatientJourney.Contracts", "Terminology", file)),
            File.ReadAllText(Path.Combine(Repository.Root, "docs", "contracts", "terminology", file)));
}
