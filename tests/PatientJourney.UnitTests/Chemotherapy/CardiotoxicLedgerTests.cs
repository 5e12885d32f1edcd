using PatientJourney.Chemotherapy.Cycles;
using PatientJourney.Chemotherapy.Regimens;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Terminology;
using PatientJourney.DepartmentKit;

namespace PatientJourney.UnitTests.Chemotherapy;

/// <summary>Issue 28, finding 8: whatever name a cardiotoxic drug is given, it reaches the regimen's ledger.</summary>
public class CardiotoxicLedgerTests
{
    private static readonly DateOnly Today = new(2026, 11, 28);

    private static CommandContext Context(IReadOnlyList<ClinicalEvent> history) =>
        new("STS-1", history, Today, new Dictionary<string, string> { ["patientId"] = "STS-1", ["regimenId"] = "R-1" });

    private static (ChemoRegimenStarted Started, ChemoCycleCompleted Cycle) OneCycle(string drug, decimal dosePerM2Mg, decimal? reduction = null)
    {
        var started = (ChemoRegimenStarted)StartingRegimen.Decide(new StartRegimen("R-1", "single agent", new DateOnly(2011, 1, 10), 21, 165, 65,
            [new RegimenDrugRequest(drug, dosePerM2Mg, null, null, [1], DrugRoute.Iv, null)]), Context([])).Events.Single();
        var cycle = (ChemoCycleCompleted)CompletingCycle.Decide(new CompleteCycle(1, new DateOnly(2011, 1, 10), new DateOnly(2011, 1, 10), null, reduction),
            Context([started]), "R-1").Events.Single();
        return (started, cycle);
    }

    [Theory]
    [InlineData("adriamycin")]
    [InlineData("Doxorubicin hydrochloride")]
    [InlineData("L01DB01")]
    [InlineData("3639")]
    public void Doxorubicin_by_any_of_its_names_counts_as_doxorubicin(string named)
    {
        var (started, cycle) = OneCycle(named, 75);
        var drug = started.Drugs.Single();
        Assert.Equal(("doxorubicin", "3639", "L01DB01"), (drug.Drug, drug.RxNorm, drug.Atc));
        Assert.Equal((75m, 75m, 0m), (cycle.CumulativeDoxorubicinMgPerM2, cycle.CumulativeDoxorubicinEquivalentMgPerM2, cycle.CumulativeLiposomalDoxorubicinMgPerM2));
        Assert.Equal(("doxorubicin", "3639", "L01DB01"), (cycle.Drugs.Single().Drug, cycle.Drugs.Single().RxNorm, cycle.Drugs.Single().Atc));
    }

    [Fact]
    public void Epirubicin_counts_0_8_of_its_mg_per_m2_as_doxorubicin_equivalent_and_no_doxorubicin()
    {
        var (_, cycle) = OneCycle("epirubicin", 90);
        Assert.Equal((0m, 72m), (cycle.CumulativeDoxorubicinMgPerM2, cycle.CumulativeDoxorubicinEquivalentMgPerM2)); // 90 x 0.8
    }

    [Fact]
    public void Liposomal_doxorubicin_has_its_own_line_and_is_not_added_to_doxorubicin()
    {
        var (_, cycle) = OneCycle("Caelyx", 50);
        Assert.Equal((0m, 0m, 50m), (cycle.CumulativeDoxorubicinMgPerM2, cycle.CumulativeDoxorubicinEquivalentMgPerM2, cycle.CumulativeLiposomalDoxorubicinMgPerM2));
    }

    [Fact]
    public void A_dose_reduction_lowers_the_equivalent_as_it_lowers_the_dose()
    {
        var (_, cycle) = OneCycle("mitoxantrone", 12, reduction: 25);
        Assert.Equal(94.5m, cycle.CumulativeDoxorubicinEquivalentMgPerM2); // 12 x 0.75 x 10.5
    }

    [Fact]
    public void A_cycle_after_one_recorded_before_the_formulary_starts_its_equivalent_from_that_cycles_doxorubicin()
    {
        var (started, first) = OneCycle("doxorubicin", 75);
        var before = first with { CumulativeDoxorubicinEquivalentMgPerM2 = null, CumulativeLiposomalDoxorubicinMgPerM2 = null };
        var second = (ChemoCycleCompleted)CompletingCycle.Decide(new CompleteCycle(2, new DateOnly(2011, 1, 31), new DateOnly(2011, 1, 31), null, null),
            Context([started, before]), "R-1").Events.Single();
        Assert.Equal((150m, 150m, 0m), (second.CumulativeDoxorubicinMgPerM2, second.CumulativeDoxorubicinEquivalentMgPerM2, second.CumulativeLiposomalDoxorubicinMgPerM2));
    }

    [Fact]
    public void A_regimen_naming_a_drug_the_formulary_does_not_know_is_refused_naming_the_drug()
    {
        var v = new FieldValidation();
        new StartRegimen("R-1", "x", new DateOnly(2011, 1, 10), 21, 165, 65,
            [new RegimenDrugRequest("ifosfamide", 1500, null, null, [1], DrugRoute.Iv, null), new RegimenDrugRequest("doxorubicine", 75, null, null, [1], DrugRoute.Iv, null)])
            .CheckTerms(v, ClinicalTerminology.Published);
        Assert.Equal(["drugs[1].drug"], v.Errors.Keys);
    }
}
