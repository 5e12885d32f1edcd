using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Interventional;
using PatientJourney.Journey.PatientJourneys;

namespace PatientJourney.UnitTests.Journey.PatientJourneys;

public class JourneyFlagTests
{
    private static ChemoCycleCompleted Cycle(decimal cumulative) => new()
    {
        EventId = Guid.NewGuid(), PatientId = "P", OccurredOn = new DateOnly(2011, 1, 13), RegimenId = "R", CycleNumber = 1,
        StartedOn = new DateOnly(2011, 1, 10), BsaM2 = 1.73m, Drugs = [], CumulativeDoxorubicinMgPerM2 = cumulative,
    };

    private static IEnumerable<string> Codes(params ClinicalEvent[] events) => JourneyProjection.Project("P", events, events.Length).Flags.Select(f => f.Code);

    [Theory]
    [InlineData(299.9, null)]
    [InlineData(300, "doxorubicin-300")]
    [InlineData(449.9, "doxorubicin-300")]
    [InlineData(450, "doxorubicin-450")]
    [InlineData(550, "doxorubicin-550")]
    public void Doxorubicin_flag_names_the_highest_label_threshold_reached(decimal cumulative, string? expected) =>
        Assert.Equal(expected, Codes(Cycle(cumulative)).SingleOrDefault(c => c.StartsWith("doxorubicin", StringComparison.Ordinal)));

    [Fact]
    public void Exactly_550_mg_per_m2_is_at_the_lifetime_ceiling_not_past_it() =>
        Assert.Contains("550 mg/m2 (systemic 550, locoregional 0) at or past the 550 mg/m2 lifetime ceiling",
            JourneyProjection.Project("P", [Cycle(550)], 1).Flags.Single(f => f.Code == "doxorubicin-550").Message);

    [Fact]
    public void Tace_doxorubicin_without_a_body_surface_area_is_not_computable_per_m2_not_zero()
    {
        var tace = new TacePerformed { EventId = Guid.NewGuid(), PatientId = "P", OccurredOn = new DateOnly(2011, 7, 12), Target = "liver", Drug = "doxorubicin", DoseMg = 150 };
        var view = JourneyProjection.Project("P", [tace], 1);
        Assert.Equal((0m, (decimal?)null, 0m), (view.CumulativeDoxorubicinMgPerM2.Systemic, view.CumulativeDoxorubicinMgPerM2.Locoregional, view.CumulativeDoxorubicinMgPerM2.Total));
        Assert.Contains("bsa-unknown", view.Flags.Select(f => f.Code));
    }

    [Fact]
    public void Tace_doxorubicin_counts_towards_the_total_over_the_latest_bsa()
    {
        var tace = new TacePerformed { EventId = Guid.NewGuid(), PatientId = "P", OccurredOn = new DateOnly(2011, 7, 12), Target = "liver", Drug = "doxorubicin", DoseMg = 150 };
        var dox = JourneyProjection.Project("P", [Cycle(300), tace], 2).CumulativeDoxorubicinMgPerM2;
        Assert.Equal((300m, 86.7m, 386.7m), (dox.Systemic, dox.Locoregional, dox.Total));
    }

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, true)]
    public void Every_ctcae_grade_3_or_higher_toxicity_is_flagged(int grade, bool flagged)
    {
        var tace = new TacePerformed
        {
            EventId = Guid.NewGuid(), PatientId = "P", OccurredOn = new DateOnly(2011, 7, 12), Target = "liver", Drug = "doxorubicin", DoseMg = 150,
            Toxicities = [new GradedTerm("nausea", grade)],
        };
        Assert.Equal(flagged, Codes(Cycle(0), tace).Contains("ctcae-grade-3-or-higher"));
    }

    [Fact]
    public void A_surveillance_plan_before_a_later_chemotherapy_cycle_is_flagged_but_planned_tace_sessions_are_not()
    {
        var plan = new PatientJourney.Contracts.Diagnosis.SurveillancePlanStarted { EventId = Guid.NewGuid(), PatientId = "P", OccurredOn = new DateOnly(2011, 1, 1), Protocol = "ct-q3m-visits-q1m" };
        Assert.Contains("surveillance-before-last-treatment", Codes(plan, Cycle(60)));

        var decision = new PatientJourney.Contracts.Diagnosis.MultidisciplinaryDecisionRecorded
        {
            EventId = Guid.NewGuid(), PatientId = "P", OccurredOn = new DateOnly(2011, 1, 1), Decision = "TACE",
            PlannedProcedures = [new PatientJourney.Contracts.Diagnosis.PlannedProcedure(ProcedureKind.Tace, 1, 0, new DateOnly(2011, 2, 1))],
        };
        var tace = new TacePerformed { EventId = Guid.NewGuid(), PatientId = "P", OccurredOn = new DateOnly(2011, 2, 1), Target = "liver", Drug = "doxorubicin", DoseMg = 150 };
        Assert.DoesNotContain("surveillance-before-last-treatment", Codes(plan, decision, tace));
    }
}
