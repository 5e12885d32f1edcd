using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Contracts.Imaging;
using PatientJourney.Contracts.Interventional;
using PatientJourney.Journey.Exposures;
using PatientJourney.Journey.PatientJourneys;
using PatientJourney.Journey.Surveillance;

namespace PatientJourney.UnitTests.Journey.Surveillance;

/// <summary>Echocardiograms opened by cumulative anthracycline exposure (ExposureRules.Published), derived by hand.</summary>
public class ExposureSurveillanceTests
{
    private const string P = "LMS-0001";
    private static readonly DateTimeOffset Recorded = new(2013, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static DateOnly D(string iso) => DateOnly.Parse(iso);

    private static PatientRegistered Registered(string born) => new() { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D("2010-12-06"), Sex = Sex.Female, BirthDate = D(born) };
    private static ChemoRegimenStarted Regimen(string on, string id = "AI-1") => new()
    {
        EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D(on), RegimenId = id, Name = "doxorubicin + ifosfamide", CycleLengthDays = 21,
        HeightCm = 165, WeightKg = 65, BsaM2 = 1.73m, Drugs = [],
    };
    private static ChemoCycleCompleted Cycle(string on, int number, decimal cumulative, string id = "AI-1") => new()
    {
        EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D(on), RegimenId = id, CycleNumber = number, StartedOn = D(on).AddDays(-3), BsaM2 = 1.73m,
        Drugs = [], CumulativeDoxorubicinMgPerM2 = cumulative, CumulativeDoxorubicinEquivalentMgPerM2 = cumulative,
    };
    private static ChemoRegimenStopped Stopped(string on, string id = "AI-1") => new() { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D(on), RegimenId = id, Reason = "switch to local therapy" };
    private static TacePerformed Tace(string on) => new() { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D(on), Target = "liver", Drug = "doxorubicin", DoseMg = 150, DoxorubicinEquivalentMg = 150 };
    private static SurveillancePlanStarted Plan(string on) => new() { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D(on), Protocol = SurveillanceProtocolIds.CtEvery3MonthsVisitsMonthly };
    private static EchocardiogramResulted Echo(string on, decimal lvef = 60m) => new() { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D(on), LvefPercent = lvef };
    private static SurveillanceIntervalOverridden Override(string on, string kind, int months) =>
        new() { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D(on), Kind = kind, IntervalMonths = months, Reason = "asked by cardio-oncology" };
    private static SurveillancePlanEnded Ended(string on, SurveillancePlanEndReason reason) => new() { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D(on), Reason = reason };

    /// <summary>The seed case's anthracyclines (timeline rows 1, 6-11, 14, 15, 22-24): 60 mg/m2 a cycle, then three TACEs of 150 mg over 1.73 m2.</summary>
    private static List<ClinicalEvent> SeedCase(int cycles = 5) =>
    [
        Registered("1963-05-20"),
        Regimen("2011-01-10"),
        .. new[] { "2011-01-13", "2011-02-03", "2011-02-24", "2011-03-17", "2011-04-07" }.Take(cycles).Select((on, i) => Cycle(on, i + 1, 60m * (i + 1))),
        Stopped("2011-05-10"),
        Tace("2011-07-12"),
        Plan("2012-01-24"),
        Tace("2012-02-14"),
        Tace("2012-05-15"),
    ];

    private static List<(string? Rule, DateOnly DueOn, string Status, DateOnly? CompletedOn)> Echoes(IEnumerable<ClinicalEvent> events, string asOf) =>
        SurveillanceEngine.Compute(events, D(asOf)).Items.Where(i => i.Kind == SurveillanceItemKinds.Echocardiogram)
            .Select(i => (i.Rule, i.DueOn, i.StatusOn(D(asOf)), i.CompletedOn)).ToList();

    [Fact]
    public void The_seed_patient_gets_an_echocardiogram_when_her_cumulative_dose_reaches_250_and_one_a_year_after_her_last_anthracycline()
    {
        var schedule = SurveillanceEngine.Compute(SeedCase(), D("2012-06-30"));
        // Cycle 5 on 2011-04-07 takes her from 240 to 300 mg/m2; the last TACE (2012-05-15) ends the anthracyclines at
        // 300 + 3 x 150 / 1.73 = 560.1 mg/m2: the ESC survivor rule's first echocardiogram is due 12 months later.
        Assert.Equal(
        [
            new TriggeredRule(ExposureRules.EscAnthracyclineCumulative250, D("2011-04-07"), 300m),
            new TriggeredRule(ExposureRules.EscAnthracyclineSurvivorHighRisk, D("2012-05-15"), 560.1m),
        ], schedule.Rules);
        Assert.Equal(
        [
            (ExposureRules.EscAnthracyclineCumulative250, D("2011-04-07"), "overdue", null),
            (ExposureRules.EscAnthracyclineSurvivorHighRisk, D("2013-05-15"), "upcoming", null),
        ], Echoes(SeedCase(), "2012-06-30"));
    }

    [Fact]
    public void A_patient_below_the_threshold_has_no_echocardiogram_item()
    {
        // Four cycles (240 mg/m2), no TACE: below every adult rule's 250.
        var events = SeedCase(cycles: 4).Where(e => e is not TacePerformed).ToList();
        Assert.Empty(Echoes(events, "2013-01-01"));
        Assert.Empty(SurveillanceEngine.Compute(events, D("2013-01-01")).Rules);
    }

    [Theory]
    [InlineData(249.9, false)]
    [InlineData(250.0, true)]
    public void The_threshold_is_reached_at_exactly_250_mg_per_m2(decimal cumulative, bool opens)
    {
        List<ClinicalEvent> events = [Registered("1963-05-20"), Regimen("2011-01-10"), Cycle("2011-01-13", 1, cumulative)];
        Assert.Equal(opens, Echoes(events, "2011-02-01").Any(i => i.Rule == ExposureRules.EscAnthracyclineCumulative250));
    }

    [Fact]
    public void A_late_cycle_that_crosses_the_threshold_opens_the_items_from_its_own_date_and_as_of_before_it_none()
    {
        var withoutCycle5 = SeedCase(cycles: 4).Where(e => e is not TacePerformed).ToList();
        Assert.Empty(Echoes(withoutCycle5, "2011-06-01"));
        // Cycle 5 reaches the journey months later: the item is dated from the cycle, not from its arrival.
        var late = Cycle("2011-04-07", 5, 300m) with { RecordedAt = Recorded.AddMonths(6) };
        var events = withoutCycle5.Append(late).ToList();
        Assert.Equal([(ExposureRules.EscAnthracyclineCumulative250, D("2011-04-07"), "due", null)], Echoes(events, "2011-04-10"));
        Assert.Empty(Echoes(events, "2011-04-06"));
    }

    [Fact]
    public void Every_arrival_order_gives_the_same_echocardiogram_items()
    {
        var events = SeedCase().Append(Echo("2011-04-01")).Append(Echo("2013-05-20")).ToList();
        var expected = Echoes(events, "2014-01-01");
        var random = new Random(20261207);
        for (var i = 0; i < 50; i++)
            Assert.Equal(expected, Echoes(events.OrderBy(_ => random.Next()).ToList(), "2014-01-01"));
    }

    [Fact]
    public void An_echocardiogram_within_the_grace_before_the_crossing_completes_it_and_survivor_echoes_follow_at_1_3_5_then_every_5_years()
    {
        var events = SeedCase().Concat([Echo("2011-03-24"), Echo("2013-05-20"), Echo("2015-05-18"), Echo("2017-05-22")]).ToList();
        Assert.Equal(
        [
            (ExposureRules.EscAnthracyclineCumulative250, D("2011-04-07"), "done", D("2011-03-24")),
            (ExposureRules.EscAnthracyclineSurvivorHighRisk, D("2013-05-15"), "done", D("2013-05-20")),
            (ExposureRules.EscAnthracyclineSurvivorHighRisk, D("2015-05-20"), "done", D("2015-05-18")),
            (ExposureRules.EscAnthracyclineSurvivorHighRisk, D("2017-05-18"), "done", D("2017-05-22")),
            // Five whole years after the end (2017-05-22 is past 2017-05-15): every 5 years.
            (ExposureRules.EscAnthracyclineSurvivorHighRisk, D("2022-05-22"), "upcoming", null),
        ], Echoes(events, "2018-01-01"));
    }

    [Fact]
    public void Anthracycline_therapy_has_not_ended_while_a_regimen_runs_with_no_stop_and_no_plan_after_it()
    {
        List<ClinicalEvent> running = [Registered("1963-05-20"), Regimen("2011-01-10"), .. Enumerable.Range(1, 5).Select(n => Cycle($"2011-0{n}-13", n, 60m * n))];
        Assert.DoesNotContain(SurveillanceEngine.Compute(running, D("2012-01-01")).Rules, r => r.RuleId == ExposureRules.EscAnthracyclineSurvivorHighRisk);
        var planned = running.Append(Plan("2011-06-01")).ToList();
        Assert.Contains(new TriggeredRule(ExposureRules.EscAnthracyclineSurvivorHighRisk, D("2011-05-13"), 300m), SurveillanceEngine.Compute(planned, D("2012-01-01")).Rules);
    }

    [Theory]
    // First exposed at 9: COG/IGHG by the band at the end; at 18 or of unknown age: ESC.
    [InlineData("2002-01-01", 300, new[] { ExposureRules.IghgAnthracyclineSurvivorHigh })]
    [InlineData("2002-01-01", 200, new[] { ExposureRules.IghgAnthracyclineSurvivorModerate })]
    [InlineData("2002-01-01", 99.9, new string[0])]
    [InlineData("1993-01-10", 300, new[] { ExposureRules.EscAnthracyclineCumulative250, ExposureRules.EscAnthracyclineSurvivorHighRisk })]
    [InlineData("1993-01-11", 300, new[] { ExposureRules.IghgAnthracyclineSurvivorHigh })]
    [InlineData(null, 300, new[] { ExposureRules.EscAnthracyclineCumulative250, ExposureRules.EscAnthracyclineSurvivorHighRisk })]
    public void Children_follow_the_COG_IGHG_rules_and_adults_the_ESC_rules(string? born, decimal cumulative, string[] rules)
    {
        List<ClinicalEvent> events = [Regimen("2011-01-10"), Cycle("2011-01-10", 1, cumulative), Stopped("2011-02-01")];
        if (born is not null) events.Insert(0, Registered(born) with { OccurredOn = D("2011-01-01") });
        Assert.Equal(rules, SurveillanceEngine.Compute(events, D("2014-01-01")).Rules.Select(r => r.RuleId));
    }

    [Fact]
    public void A_child_s_first_survivor_echocardiogram_is_due_two_years_after_the_last_dose_then_every_two_years()
    {
        List<ClinicalEvent> events = [Registered("2002-01-01") with { OccurredOn = D("2011-01-01") }, Regimen("2011-01-10"), Cycle("2011-01-10", 1, 300m), Stopped("2011-02-01"), Echo("2013-01-20")];
        Assert.Equal(
        [
            (ExposureRules.IghgAnthracyclineSurvivorHigh, D("2013-01-10"), "done", D("2013-01-20")),
            (ExposureRules.IghgAnthracyclineSurvivorHigh, D("2015-01-20"), "upcoming", null),
        ], Echoes(events, "2014-01-01"));
    }

    [Fact]
    public void An_override_sets_the_interval_of_the_open_item_from_its_date_and_not_before()
    {
        var events = SeedCase().Append(Echo("2013-05-20")).Append(Override("2013-06-01", SurveillanceItemKinds.Echocardiogram, 12)).ToList();
        var schedule = SurveillanceEngine.Compute(events, D("2013-07-01"));
        var open = schedule.Items.Single(i => i.Rule == ExposureRules.EscAnthracyclineSurvivorHighRisk && i.IsOpen);
        Assert.Equal((D("2014-05-20"), events[^1].EventId), (open.DueOn, open.OverriddenBy));
        Assert.Equal((SurveillanceItemKinds.Echocardiogram, 12), (schedule.Overrides.Single().Kind, schedule.Overrides.Single().IntervalMonths));
        // As of the day before it was made, the rule's 24 months hold.
        var before = SurveillanceEngine.Compute(events, D("2013-05-31")).Items.Single(i => i.Rule == ExposureRules.EscAnthracyclineSurvivorHighRisk && i.IsOpen);
        Assert.Equal((D("2015-05-20"), (Guid?)null), (before.DueOn, before.OverriddenBy));
    }

    [Fact]
    public void An_override_of_a_protocol_kind_moves_the_open_item_and_leaves_the_items_done_before_it()
    {
        List<ClinicalEvent> events = [Plan("2012-01-24"), new CtResulted { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D("2012-04-24"), Region = "abdomen", TargetLesions = [] },
            Override("2012-05-01", SurveillanceItemKinds.Ct, 6)];
        var cts = SurveillanceEngine.Compute(events, D("2012-06-01")).Items.Where(i => i.Kind == SurveillanceItemKinds.Ct).Select(i => (i.DueOn, i.CompletedOn, i.OverriddenBy is not null)).ToList();
        Assert.Equal([(D("2012-04-24"), D("2012-04-24"), false), (D("2012-10-24"), null, true)], cts);
    }

    [Theory]
    [InlineData(SurveillancePlanEndReason.Completed, false)]
    [InlineData(SurveillancePlanEndReason.Transferred, true)]
    [InlineData(SurveillancePlanEndReason.LostToFollowUp, true)]
    public void A_plan_ended_because_the_patient_left_closes_the_echocardiograms_and_a_completed_one_does_not(SurveillancePlanEndReason reason, bool closes)
    {
        var events = SeedCase().Append(Ended("2017-01-24", reason)).ToList();
        var survivor = SurveillanceEngine.Compute(events, D("2017-06-01")).Items.Single(i => i.Rule == ExposureRules.EscAnthracyclineSurvivorHighRisk);
        Assert.Equal(closes ? D("2017-01-24") : null, survivor.ClosedOn);
    }

    [Fact]
    public void The_exposure_steps_end_at_the_total_the_journey_shows()
    {
        var events = SeedCase();
        Assert.Equal(JourneyProjection.Doxorubicin(events).DoxorubicinEquivalent!.Total, AnthracyclineExposure.Steps(events)[^1].TotalMgPerM2);
    }

    [Fact]
    public void Every_published_rule_can_be_computed_and_cites_its_source()
    {
        Assert.All(ExposureRules.Published, rule =>
        {
            Assert.Empty(SurveillanceCatalogue.Problems(rule));
            Assert.False(string.IsNullOrWhiteSpace(rule.Source.Section));
            Assert.False(string.IsNullOrWhiteSpace(rule.Source.Evidence));
        });
    }

    [Fact]
    public void A_hospital_rule_is_refused_when_it_names_a_trigger_the_journey_cannot_compute()
    {
        var rule = new ExposureRule("rt-heart", "Echo after chest radiotherapy", new ExposureTrigger("radiotherapy-field", 15m),
            [new RuleItem(SurveillanceItemKinds.Echocardiogram, 24, [new RuleInterval(60)])], new GuidelineSource("IGHG 2023", "Radiotherapy", "Recommended"));
        Assert.Contains(SurveillanceCatalogue.Problems(rule), p => p.Field == "trigger.kind");
        Assert.Throws<InvalidOperationException>(() => SurveillanceCatalogue.Published.With([], [ExposureRules.Published[0]]));
    }
}
