using PatientJourney.DepartmentKit;
using PatientJourney.Chemotherapy.Cycles;
using PatientJourney.Chemotherapy.Dosing;
using PatientJourney.Chemotherapy.Regimens;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;

namespace PatientJourney.UnitTests.Chemotherapy;

public class DosingTests
{
    private static readonly DateOnly Today = new(2026, 11, 28);

    [Theory]
    [InlineData(165, 65, 1.73)] // the seed case
    [InlineData(180, 80, 2.00)]
    [InlineData(150, 45, 1.37)]
    public void Mosteller_bsa_is_rounded_to_two_decimals(decimal heightCm, decimal weightKg, decimal expected) =>
        Assert.Equal(expected, BodySurfaceArea.MostellerM2(heightCm, weightKg));

    [Fact]
    public void DuBois_bsa_for_the_seed_case() => Assert.Equal(1.72m, BodySurfaceArea.DuBoisM2(165, 65));

    [Fact]
    public void A_regimen_may_ask_for_DuBois_and_its_cycles_keep_it()
    {
        var started = (ChemoRegimenStarted)StartingRegimen.Decide(new StartRegimen("AI-1", "x", new DateOnly(2011, 1, 10), 21, 165, 65,
            [new RegimenDrugRequest("doxorubicin", 20, null, null, [1], DrugRoute.Iv, null)], BsaFormula.DuBois), Context([])).Events.Single();
        Assert.Equal((1.72m, BsaFormula.DuBois), (started.BsaM2, started.BsaFormula));
        var cycle = (ChemoCycleCompleted)CompletingCycle.Decide(new CompleteCycle(1, new DateOnly(2011, 1, 10), new DateOnly(2011, 1, 10), 60, null),
            Context([started]), "AI-1").Events.Single();
        Assert.Equal(BodySurfaceArea.DuBoisM2(165, 60), cycle.BsaM2);
    }

    private static ClinicalEvent[] SeedRegimen() =>
    [
        StartingRegimen.Decide(new StartRegimen("AI-1", "doxorubicin + ifosfamide", new DateOnly(2011, 1, 10), 21, 165, 65,
        [
            new RegimenDrugRequest("doxorubicin", 20, null, null, [1, 2, 3], DrugRoute.Iv, DrugPurpose.Antineoplastic),
            new RegimenDrugRequest("ifosfamide", 1500, null, null, [1, 2, 3, 4], DrugRoute.Iv, DrugPurpose.Antineoplastic),
            new RegimenDrugRequest("filgrastim", null, null, 300, [1, 2, 3, 4, 5], DrugRoute.Sc, DrugPurpose.Supportive),
        ]), Context([])).Events.Single(),
    ];

    private static CommandContext Context(IReadOnlyList<ClinicalEvent> history) =>
        new("LMS-0001", history, Today, new Dictionary<string, string> { ["patientId"] = "LMS-0001", ["regimenId"] = "AI-1" });

    private static ChemoCycleCompleted Cycle(List<ClinicalEvent> history, int number, DateOnly startedOn, decimal? reduction = null)
    {
        var decision = CompletingCycle.Decide(new CompleteCycle(number, startedOn, startedOn.AddDays(3), null, reduction), Context(history), "AI-1");
        Assert.Null(decision.Refused);
        var cycle = (ChemoCycleCompleted)decision.Events.Single();
        history.Add(cycle);
        return cycle;
    }

    [Fact]
    public void Seed_regimen_gives_per_drug_cycle_doses_and_300_mg_per_m2_doxorubicin_after_five_cycles()
    {
        var history = SeedRegimen().ToList();
        Assert.Equal(1.73m, ((ChemoRegimenStarted)history[0]).BsaM2);
        ChemoCycleCompleted? last = null;
        for (var n = 1; n <= 5; n++) last = Cycle(history, n, new DateOnly(2011, 1, 10).AddDays(21 * (n - 1)));

        Assert.Equal(300m, last!.CumulativeDoxorubicinMgPerM2);
        Assert.Equal(103.8m, last.Drugs.Single(d => d.Drug == "doxorubicin").DoseMg);   // 20 x 1.73 x 3
        Assert.Equal(10380m, last.Drugs.Single(d => d.Drug == "ifosfamide").DoseMg);    // 1500 x 1.73 x 4
        Assert.Equal(1.5m, last.Drugs.Single(d => d.Drug == "filgrastim").DoseMg);      // 300 micrograms x 5
    }

    [Fact]
    public void Dose_reduction_lowers_the_cycle_dose_and_the_cumulative_doxorubicin()
    {
        var history = SeedRegimen().ToList();
        var cycle = Cycle(history, 1, new DateOnly(2011, 1, 10), reduction: 25);
        Assert.Equal(45m, cycle.CumulativeDoxorubicinMgPerM2);
        Assert.Equal(77.9m, cycle.Drugs.Single(d => d.Drug == "doxorubicin").DoseMg);
    }

    [Fact]
    public void Cycle_numbers_run_without_gaps_or_repeats_409()
    {
        var history = SeedRegimen().ToList();
        Cycle(history, 1, new DateOnly(2011, 1, 10));
        foreach (var wrong in new[] { 1, 3 })
        {
            var refused = CompletingCycle.Decide(new CompleteCycle(wrong, new DateOnly(2011, 1, 31), new DateOnly(2011, 2, 3), null, null), Context(history), "AI-1").Refused;
            Assert.Equal(409, refused?.Status);
            Assert.Equal("cycleNumber", refused?.Field);
        }
    }

    [Fact]
    public void Cycle_after_stop_is_refused_with_409()
    {
        var history = SeedRegimen().ToList();
        history.Add(StoppingRegimen.Decide(new StopRegimen(new DateOnly(2011, 2, 1), "toxicity"), Context(history), "AI-1").Events.Single());
        var refused = CompletingCycle.Decide(new CompleteCycle(1, new DateOnly(2011, 2, 2), new DateOnly(2011, 2, 5), null, null), Context(history), "AI-1").Refused;
        Assert.Equal(409, refused?.Status);
    }

    [Fact]
    public void Cycle_before_its_regimen_started_is_refused_with_409()
    {
        var refused = CompletingCycle.Decide(new CompleteCycle(1, new DateOnly(2011, 1, 1), new DateOnly(2011, 1, 4), null, null), Context(SeedRegimen()), "AI-1").Refused;
        Assert.Equal(("startedOn", 409), (refused?.Field, refused?.Status));
    }

    [Fact]
    public void Cycle_of_an_unknown_regimen_is_404()
    {
        var refused = CompletingCycle.Decide(new CompleteCycle(1, new DateOnly(2011, 1, 10), new DateOnly(2011, 1, 13), null, null), Context([]), "AI-1").Refused;
        Assert.Equal(404, refused?.Status);
    }

    [Fact]
    public void A_drug_needs_exactly_one_dose()
    {
        var v = new FieldValidation();
        new StartRegimen("AI-1", "x", new DateOnly(2011, 1, 10), 21, 165, 65,
            [new RegimenDrugRequest("doxorubicin", 20, 30, null, [1], DrugRoute.Iv, null)]).Validate(v, Today);
        Assert.Contains("drugs[0].dosePerM2Mg", v.Errors.Keys);
    }
}
