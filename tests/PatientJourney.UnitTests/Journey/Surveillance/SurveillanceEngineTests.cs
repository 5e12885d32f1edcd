using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Contracts.Imaging;
using PatientJourney.Contracts.Interventional;
using PatientJourney.Journey.Surveillance;

namespace PatientJourney.UnitTests.Journey.Surveillance;

public class SurveillanceEngineTests
{
    private const string P = "LMS-0001";
    private static DateOnly D(string iso) => DateOnly.Parse(iso);

    private static CtResulted Ct(string on) => new() { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D(on), Region = "abdomen", TargetLesions = [] };
    private static ClinicVisitRecorded Visit(string on) => new() { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D(on), Ecog = 0 };
    private static TacePerformed Tace(string on) => new() { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D(on), Target = "liver", Drug = "doxorubicin", DoseMg = 150 };
    private static SurveillancePlanStarted Plan(string on, string protocol = "ct-q3m-visits-q1m") => new() { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D(on), Protocol = protocol };

    /// <summary>The seed case's events that bear on surveillance (shared/seed-case/timeline.md rows 12-26).</summary>
    private static List<ClinicalEvent> SeedCase() =>
    [
        new MultidisciplinaryDecisionRecorded { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D("2011-05-10"), Decision = "TACE", PlannedProcedures = [new PlannedProcedure(ProcedureKind.Tace, 1, 0, null)] },
        Tace("2011-07-12"),
        Ct("2011-08-16"),
        Ct("2012-01-17"),
        new MultidisciplinaryDecisionRecorded { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D("2012-01-24"), Decision = "2 TACE", PlannedProcedures = [new PlannedProcedure(ProcedureKind.Tace, 2, 3, D("2012-02-14"))] },
        Plan("2012-01-24"),
        Tace("2012-02-14"),
        Tace("2012-05-15"),
        Visit("2012-02-24"), Visit("2012-03-24"), Visit("2012-04-24"), Visit("2012-05-24"), Visit("2012-06-24"), Visit("2012-07-24"),
        Ct("2012-04-24"), Ct("2012-07-24"),
    ];

    private static List<(string Kind, DateOnly DueOn, string Status, DateOnly? CompletedOn)> Table(IEnumerable<ClinicalEvent> events, string asOf) =>
        SurveillanceEngine.Compute(events, D(asOf)).Items.Select(i => (i.Kind, i.DueOn, i.StatusOn(D(asOf)), i.CompletedOn)).ToList();

    [Fact]
    public void Seed_case_as_of_2012_06_30_matches_the_schedule_derived_by_hand()
    {
        // From the contract: first item at startsOn (2012-01-24) + interval; each next one interval after the performed one.
        var expected = new List<(string, DateOnly, string, DateOnly?)>
        {
            ("tace", D("2012-02-14"), "done", D("2012-02-14")),
            ("clinic-visit", D("2012-02-24"), "done", D("2012-02-24")),
            ("clinic-visit", D("2012-03-24"), "done", D("2012-03-24")),
            ("clinic-visit", D("2012-04-24"), "done", D("2012-04-24")),
            ("ct", D("2012-04-24"), "done", D("2012-04-24")),
            ("tace", D("2012-05-14"), "done", D("2012-05-15")),
            ("clinic-visit", D("2012-05-24"), "done", D("2012-05-24")),
            ("clinic-visit", D("2012-06-24"), "done", D("2012-06-24")),
            ("clinic-visit", D("2012-07-24"), "upcoming", null), // 24 days ahead, visits are due 7 days before
            ("ct", D("2012-07-24"), "upcoming", null),           // 24 days ahead, scans are due 14 days before
        };
        Assert.Equal(expected, Table(SeedCase(), "2012-06-30"));
    }

    [Fact]
    public void Seed_case_as_of_2013_01_01_has_the_october_ct_and_the_august_visit_overdue()
    {
        // Nothing was recorded after 2012-07-24: both open items are past dueOn plus their grace.
        var expected = new List<(string, DateOnly, string, DateOnly?)>
        {
            ("tace", D("2012-02-14"), "done", D("2012-02-14")),
            ("clinic-visit", D("2012-02-24"), "done", D("2012-02-24")),
            ("clinic-visit", D("2012-03-24"), "done", D("2012-03-24")),
            ("clinic-visit", D("2012-04-24"), "done", D("2012-04-24")),
            ("ct", D("2012-04-24"), "done", D("2012-04-24")),
            ("tace", D("2012-05-14"), "done", D("2012-05-15")),
            ("clinic-visit", D("2012-05-24"), "done", D("2012-05-24")),
            ("clinic-visit", D("2012-06-24"), "done", D("2012-06-24")),
            ("clinic-visit", D("2012-07-24"), "done", D("2012-07-24")),
            ("ct", D("2012-07-24"), "done", D("2012-07-24")),
            ("clinic-visit", D("2012-08-24"), "overdue", null),
            ("ct", D("2012-10-24"), "overdue", null),
        };
        Assert.Equal(expected, Table(SeedCase(), "2013-01-01"));
    }

    private static List<(DateOnly DueOn, string Status, DateOnly? CompletedOn)> Cts(IEnumerable<ClinicalEvent> events, string asOf) =>
        Table(events, asOf).Where(i => i.Kind == "ct").Select(i => (i.DueOn, i.Status, i.CompletedOn)).ToList();

    [Fact]
    public void A_ct_done_early_completes_the_open_item_and_the_next_is_due_an_interval_after_it() =>
        Assert.Equal(
            [(D("2012-04-24"), "done", D("2012-03-01")), (D("2012-06-01"), "upcoming", null)],
            Cts([Plan("2012-01-24"), Ct("2012-03-01")], "2012-03-15"));

    [Fact]
    public void A_ct_done_late_completes_the_overdue_item_and_the_next_is_due_an_interval_after_it() =>
        Assert.Equal(
            [(D("2012-04-24"), "done", D("2012-06-10")), (D("2012-09-10"), "upcoming", null)],
            Cts([Plan("2012-01-24"), Ct("2012-06-10")], "2012-06-30"));

    [Fact]
    public void Two_cts_in_one_window_complete_one_item_and_the_next_is_due_after_the_later_one() =>
        Assert.Equal(
            [(D("2012-04-24"), "done", D("2012-04-20")), (D("2012-07-30"), "upcoming", null)],
            Cts([Plan("2012-01-24"), Ct("2012-04-20"), Ct("2012-04-30")], "2012-05-15"));

    [Fact]
    public void A_new_plan_mid_way_keeps_what_was_done_and_restarts_the_schedule_from_its_own_start()
    {
        var events = new List<ClinicalEvent> { Plan("2012-01-24"), Ct("2012-04-24"), Plan("2012-06-01", "esmo-sts-high-grade") };
        var schedule = SurveillanceEngine.Compute(events, D("2012-06-30"));
        Assert.Equal(("esmo-sts-high-grade", D("2012-06-01")), (schedule.Protocol, schedule.StartsOn));
        Assert.Equal([(D("2012-04-24"), "done", D("2012-04-24")), (D("2012-09-01"), "upcoming", null)], Cts(events, "2012-06-30"));
        // Visits of the old plan's monthly rule are gone; the new plan's are 3-monthly from its start.
        Assert.Equal(D("2012-09-01"), Table(events, "2012-06-30").Single(i => i is { Kind: "clinic-visit", CompletedOn: null }).DueOn);
    }

    [Fact]
    public void Progression_suspends_imaging_and_a_new_plan_after_it_schedules_again()
    {
        List<ClinicalEvent> events = [Plan("2012-01-24"), .. Progression("2012-04-24")];
        Assert.Equal("suspended", Cts(events, "2012-08-01").Single(i => i.CompletedOn is null).Status);

        events.Add(Plan("2012-09-01"));
        Assert.Equal((D("2012-12-01"), "upcoming"), Cts(events, "2012-09-15").Where(i => i.CompletedOn is null).Select(i => (i.DueOn, i.Status)).Single());
    }

    [Fact]
    public void Seed_case_as_of_2012_08_15_has_the_next_ct_in_october_and_the_next_visit_upcoming()
    {
        // The July CT and visit are done; the next visit (08-24) is 9 days away, past the 7-day due window.
        var expected = new List<(string, DateOnly, string, DateOnly?)>
        {
            ("tace", D("2012-02-14"), "done", D("2012-02-14")),
            ("clinic-visit", D("2012-02-24"), "done", D("2012-02-24")),
            ("clinic-visit", D("2012-03-24"), "done", D("2012-03-24")),
            ("clinic-visit", D("2012-04-24"), "done", D("2012-04-24")),
            ("ct", D("2012-04-24"), "done", D("2012-04-24")),
            ("tace", D("2012-05-14"), "done", D("2012-05-15")),
            ("clinic-visit", D("2012-05-24"), "done", D("2012-05-24")),
            ("clinic-visit", D("2012-06-24"), "done", D("2012-06-24")),
            ("clinic-visit", D("2012-07-24"), "done", D("2012-07-24")),
            ("ct", D("2012-07-24"), "done", D("2012-07-24")),
            ("clinic-visit", D("2012-08-24"), "upcoming", null),
            ("ct", D("2012-10-24"), "upcoming", null),
        };
        Assert.Equal(expected, Table(SeedCase(), "2012-08-15"));
    }

    [Theory]
    [InlineData("2012-07-09", "upcoming")]
    [InlineData("2012-07-10", "due")]
    [InlineData("2012-08-07", "due")]
    [InlineData("2012-08-08", "overdue")]
    public void Ct_is_due_14_days_either_side_of_its_date_and_overdue_after(string asOf, string status)
    {
        var events = SeedCase().Where(e => !(e is CtResulted && e.OccurredOn == D("2012-07-24"))).ToList();
        Assert.Equal(status, Table(events, asOf).Single(i => i.Kind == "ct" && i.CompletedOn is null).Status);
    }

    [Fact]
    public void Schedule_does_not_depend_on_arrival_order()
    {
        var events = SeedCase();
        var reference = Table(events, "2012-06-30");
        var random = new Random(42);
        for (var i = 0; i < 50; i++)
            Assert.Equal(reference, Table(events.OrderBy(_ => random.Next()).ToList(), "2012-06-30"));
    }

    [Fact]
    public void Intervals_are_calendar_months_clamped_to_the_month_end()
    {
        var first = SurveillanceEngine.Compute([Plan("2012-01-31")], D("2012-02-01")).Items.Single(i => i.Kind == "clinic-visit");
        Assert.Equal(D("2012-02-29"), first.DueOn);
    }

    [Fact]
    public void Progressive_disease_suspends_open_imaging_items_until_a_new_plan()
    {
        List<ClinicalEvent> events = [Plan("2012-01-24"), .. Progression("2012-04-24")];
        Assert.Equal("suspended", Table(events, "2012-06-30").Single(i => i.Kind == "ct" && i.CompletedOn is null).Status);
        Assert.DoesNotContain(Table(events, "2012-06-30"), i => i.Kind == "clinic-visit" && i.Status == "suspended");

        events.Add(Plan("2012-05-01"));
        Assert.NotEqual("suspended", Table(events, "2012-06-30").Single(i => i.Kind == "ct" && i.CompletedOn is null).Status);
    }

    [Fact]
    public void Esmo_high_grade_protocol_moves_from_3_to_6_monthly_after_year_3()
    {
        var events = new List<ClinicalEvent> { Plan("2020-01-01", "esmo-sts-high-grade"), Ct("2023-01-10") };
        var open = SurveillanceEngine.Compute(events, D("2023-02-01")).Items.Single(i => i.Kind == "ct" && i.CompletedOn is null);
        Assert.Equal(D("2023-07-10"), open.DueOn);
    }

    [Fact]
    public void As_of_a_date_only_events_on_or_before_it_count()
    {
        var items = Table(SeedCase(), "2012-04-23");
        Assert.DoesNotContain(items, i => i.CompletedOn > D("2012-04-23"));
        Assert.Contains(items, i => i is { Kind: "ct", Status: "due" } && i.DueOn == D("2012-04-24"));
    }

    /// <summary>A baseline CT of 121 mm and, on the day given, a CT of 150 mm after a nadir of 80 mm: RECIST PD, derived by the journey.</summary>
    private static ClinicalEvent[] Progression(string on) =>
    [
        TargetCt("2010-12-22", 121m), TargetCt("2011-04-26", 80m), TargetCt(on, 150m),
    ];

    private static CtResulted TargetCt(string on, decimal mm) => new()
    {
        EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D(on), Region = "abdomen-pelvis", TargetLesions = [new TargetLesion("a", "liver", mm)],
    };
}
