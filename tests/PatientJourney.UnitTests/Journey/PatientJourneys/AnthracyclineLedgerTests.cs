using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Interventional;
using PatientJourney.Journey.PatientJourneys;

namespace PatientJourney.UnitTests.Journey.PatientJourneys;

/// <summary>The journey's cardiotoxic ledger reads the drug the department resolved, and resolves old free text itself.</summary>
public class AnthracyclineLedgerTests
{
    private static ChemoCycleCompleted Cycle(string regimen, decimal doxorubicin, decimal? equivalent, decimal? liposomal = null, params AdministeredDrug[] drugs) => new()
    {
        EventId = Guid.NewGuid(), PatientId = "P", OccurredOn = new DateOnly(2011, 1, 13), RegimenId = regimen, CycleNumber = 1,
        StartedOn = new DateOnly(2011, 1, 10), BsaM2 = 1.73m, Drugs = drugs, CumulativeDoxorubicinMgPerM2 = doxorubicin,
        CumulativeDoxorubicinEquivalentMgPerM2 = equivalent, CumulativeLiposomalDoxorubicinMgPerM2 = liposomal,
    };

    private static TacePerformed Tace(string drug, decimal doseMg, decimal? equivalentMg = null) => new()
    {
        EventId = Guid.NewGuid(), PatientId = "P", OccurredOn = new DateOnly(2011, 7, 12), Target = "liver", Drug = drug, DoseMg = doseMg,
        DoxorubicinEquivalentMg = equivalentMg,
    };

    private static PatientJourneyView Project(params ClinicalEvent[] events) => JourneyProjection.Project("P", events, events.Length);

    [Fact]
    public void A_TACE_recorded_before_the_formulary_as_doxorubicin_on_drug_eluting_beads_counts_as_locoregional_doxorubicin()
    {
        var dox = Project(Cycle("R", 300, null), Tace("doxorubicin (drug-eluting beads)", 150)).CumulativeDoxorubicinMgPerM2;
        Assert.Equal((300m, 86.7m, 386.7m), (dox.Systemic, dox.Locoregional, dox.Total));
        Assert.Equal(new DoxorubicinEquivalent(300m, 86.7m, 386.7m), dox.DoxorubicinEquivalent);
    }

    [Fact]
    public void Other_anthracyclines_add_to_the_equivalent_total_and_the_thresholds_read_it()
    {
        // 250 mg/m2 of doxorubicin, then epirubicin worth 72 doxorubicin-equivalent mg/m2: 322 reaches the 300 threshold.
        var view = Project(Cycle("R-1", 250, 250), Cycle("R-2", 0, 72));
        Assert.Equal((250m, 250m, 322m), (view.CumulativeDoxorubicinMgPerM2.Systemic, view.CumulativeDoxorubicinMgPerM2.Total, view.CumulativeDoxorubicinMgPerM2.EquivalentTotal));
        var flag = view.Flags.Single(f => f.Code == "doxorubicin-300");
        Assert.StartsWith("Cumulative doxorubicin-equivalent 322 mg/m2 (doxorubicin 250: systemic 250, locoregional 0; other anthracyclines 72)", flag.Message);
    }

    [Fact]
    public void A_TACE_with_epirubicin_counts_in_the_locoregional_equivalent_not_in_doxorubicin()
    {
        var dox = Project(Cycle("R", 300, 300), Tace("epirubicin", 100, 80)).CumulativeDoxorubicinMgPerM2;
        Assert.Equal((0m, 46.2m), (dox.Locoregional, dox.DoxorubicinEquivalent!.Locoregional)); // 80 mg / 1.73 m2
    }

    [Fact]
    public void Liposomal_doxorubicin_is_shown_apart_and_reaches_no_threshold()
    {
        var view = Project(Cycle("R", 0, 0, 600));
        Assert.Equal((0m, 0m, 600m), (view.CumulativeDoxorubicinMgPerM2.Total, view.CumulativeDoxorubicinMgPerM2.EquivalentTotal, view.CumulativeDoxorubicinMgPerM2.LiposomalDoxorubicin));
        Assert.DoesNotContain(view.Flags, f => f.Code.StartsWith("doxorubicin", StringComparison.Ordinal));
    }

    [Fact]
    public void An_anthracycline_with_no_published_equivalence_is_flagged_not_silently_dropped()
    {
        var cycle = Cycle("R", 0, 0, null, new AdministeredDrug("pirarubicin", 50, 1, 50, DrugRoute.Iv, DrugPurpose.Antineoplastic, null, "L01DB08"));
        var flag = Project(cycle).Flags.Single(f => f.Code == "anthracycline-not-converted");
        Assert.Equal(cycle.EventId, flag.EventId);
        Assert.StartsWith("pirarubicin is an anthracycline", flag.Message);
    }
}
