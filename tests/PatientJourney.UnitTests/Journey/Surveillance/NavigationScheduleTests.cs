using System.Text.Json;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Contracts.Imaging;
using PatientJourney.Hosting;
using PatientJourney.Journey.PatientJourneys;
using PatientJourney.Journey.Responses;
using PatientJourney.Journey.Surveillance;

namespace PatientJourney.UnitTests.Journey.Surveillance;

/// <summary>The navigator's facts in the schedule (issue 30): bookings, deferrals, outside results, ends, deaths.</summary>
public class NavigationScheduleTests
{
    private const string P = "LMS-0030";
    private static DateOnly D(string iso) => DateOnly.Parse(iso);

    // The plan of 2012-01-24 has its first CT due on 2012-04-24 (due 04-10 to 05-08) and its first visit on 2012-02-24.
    private static SurveillancePlanStarted Plan(string on) => new() { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D(on), Protocol = "ct-q3m-visits-q1m" };
    private static CtResulted Ct(string on, decimal? mm = null) => new()
    {
        EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D(on), Region = "chest", TargetLesions = mm is { } m ? [new TargetLesion("a", "lung", m)] : [],
    };
    private static AppointmentBooked Booked(string madeOn, string scheduledOn) => new() { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D(madeOn), Kind = "ct", ScheduledOn = D(scheduledOn) };
    private static SurveillanceItemDeferred Deferred(string madeOn, string until) => new() { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D(madeOn), Kind = "ct", Until = D(until), Reason = "patient on holiday" };
    private static OutsideResultRecorded Outside(string on) => new() { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D(on), Kind = "ct", Facility = "Other hospital" };
    private static SurveillancePlanEnded Ended(string on) => new() { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D(on), Reason = SurveillancePlanEndReason.Transferred };
    private static PatientDied Died(string on) => new() { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D(on) };
    private static AdverseEventRecorded Fatal(string on) => new() { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D(on), Term = "Sepsis", Grade = 5 };

    private static ScheduledItem OpenCt(IEnumerable<ClinicalEvent> events, string asOf) =>
        SurveillanceEngine.Compute(events, D(asOf)).Items.Single(i => i.Kind == "ct" && i.CompletedOn is null);

    private static string CtStatus(IEnumerable<ClinicalEvent> events, string asOf) => OpenCt(events, asOf).StatusOn(D(asOf));

    private static List<string> Statuses(IEnumerable<ClinicalEvent> events, string asOf) =>
        SurveillanceEngine.Compute(events, D(asOf)).Items.Where(i => i.CompletedOn is null).Select(i => i.StatusOn(D(asOf))).ToList();

    [Theory]
    [InlineData("2012-03-31", "upcoming")] // the day before the booking was made: as the worklist stood then
    [InlineData("2012-04-01", "booked")]
    [InlineData("2012-05-08", "booked")]   // past the item's own due window, not past the appointment's
    [InlineData("2012-05-29", "booked")]   // scheduledOn plus the 14 days' grace
    [InlineData("2012-05-30", "missed")]   // the day after, with no result
    public void A_booked_item_is_booked_until_its_appointment_plus_the_grace_and_missed_the_day_after(string asOf, string expected)
    {
        List<ClinicalEvent> events = [Plan("2012-01-24"), Booked("2012-04-01", "2012-05-15")];
        Assert.Equal(expected, CtStatus(events, asOf));
        if (expected is "booked" or "missed") Assert.Equal(D("2012-05-15"), OpenCt(events, asOf).ScheduledOn);
    }

    [Fact]
    public void A_result_completes_a_booked_item_and_a_booking_made_before_it_does_not_carry_to_the_next() =>
        Assert.Equal(("upcoming", (DateOnly?)null, D("2012-08-10")),
            OpenCt([Plan("2012-01-24"), Booked("2012-04-01", "2012-05-15"), Ct("2012-05-10")], "2012-06-01") is var open
                ? (open.StatusOn(D("2012-06-01")), open.ScheduledOn, open.DueOn) : default);

    [Theory]
    [InlineData("2012-04-14", "due")]      // before the deferral was made
    [InlineData("2012-04-15", "deferred")] // made that day
    [InlineData("2012-05-31", "deferred")] // the day before until
    [InlineData("2012-06-01", "due")]      // due again from until
    [InlineData("2012-06-15", "due")]      // until plus the grace
    [InlineData("2012-06-16", "overdue")]
    public void A_deferred_item_is_neither_due_nor_overdue_before_its_date_and_due_again_from_it(string asOf, string expected) =>
        Assert.Equal(expected, CtStatus([Plan("2012-01-24"), Deferred("2012-04-15", "2012-06-01")], asOf));

    [Fact]
    public void The_latest_of_a_booking_and_a_deferral_decides()
    {
        Assert.Equal("deferred", CtStatus([Plan("2012-01-24"), Booked("2012-04-01", "2012-05-15"), Deferred("2012-04-15", "2012-07-01")], "2012-05-01"));
        Assert.Equal("booked", CtStatus([Plan("2012-01-24"), Deferred("2012-04-01", "2012-07-01"), Booked("2012-04-15", "2012-07-02")], "2012-05-01"));
    }

    [Fact]
    public void An_outside_result_completes_the_open_item_of_its_kind_and_the_next_is_due_from_its_date()
    {
        var outside = Outside("2012-04-20");
        var schedule = SurveillanceEngine.Compute([Plan("2012-01-24"), outside], D("2012-05-01"));
        var cts = schedule.Items.Where(i => i.Kind == "ct").Select(i => (i.DueOn, i.CompletedOn, i.CompletedByEventId)).ToList();
        Assert.Equal([(D("2012-04-24"), D("2012-04-20"), outside.EventId), (D("2012-07-20"), null, null)], cts);
    }

    [Fact]
    public void An_outside_result_carries_no_measurements_and_changes_no_response()
    {
        List<ClinicalEvent> scans = [Ct("2012-01-10", 50m), Ct("2012-04-24", 70m)];
        var json = (ResponseHistory r) => JsonSerializer.Serialize(r.Recist, JsonDefaults.Options);
        Assert.Equal(json(ResponseHistory.Derive(scans)), json(ResponseHistory.Derive([.. scans, Outside("2012-03-01"), Outside("2012-05-01")])));
    }

    [Theory]
    [InlineData("2012-02-29", new[] { "due", "upcoming" })] // the visit due 02-24 (7 days' grace), the CT
    [InlineData("2012-03-01", new[] { "closed", "closed" })]
    [InlineData("2013-01-01", new[] { "closed", "closed" })]
    public void Ending_the_plan_closes_its_open_items_from_the_end_date(string asOf, string[] expected) =>
        Assert.Equal(expected, Statuses([Plan("2012-01-24"), Ended("2012-03-01")], asOf));

    [Fact]
    public void A_new_plan_after_an_end_reopens_surveillance_from_its_start()
    {
        var schedule = SurveillanceEngine.Compute([Plan("2012-01-24"), Ended("2012-03-01"), Plan("2012-06-01")], D("2012-06-02"));
        Assert.Equal([("clinic-visit", D("2012-07-01"), "upcoming"), ("ct", D("2012-09-01"), "upcoming")],
            schedule.Items.Select(i => (i.Kind, i.DueOn, i.StatusOn(D("2012-06-02")))).ToList());
    }

    [Theory]
    [InlineData("2012-03-09", new[] { "overdue", "upcoming" })] // the visit due 02-24 (7 days' grace), the CT
    [InlineData("2012-03-10", new[] { "closed", "closed" })]
    public void From_the_day_of_death_the_patient_has_no_open_items(string asOf, string[] expected) =>
        Assert.Equal(expected, Statuses([Plan("2012-01-24"), Died("2012-03-10")], asOf));

    [Fact]
    public void A_fact_after_death_is_kept_and_flagged_and_moves_nothing()
    {
        var late = Ct("2012-04-24");
        List<ClinicalEvent> events = [Plan("2012-01-24"), Died("2012-03-10"), late];
        Assert.All(SurveillanceEngine.Compute(events, D("2012-05-01")).Items, i => Assert.Equal("closed", i.StatusOn(D("2012-05-01"))));
        var view = JourneyProjection.Project(P, events, events.Count);
        Assert.Equal((true, D("2012-03-10")), (view.Deceased, view.DiedOn));
        Assert.Equal(("after-death", late.EventId), view.Flags.Where(f => f.Code == "after-death").Select(f => (f.Code, f.EventId)).Single());
        Assert.Contains(JourneyProjection.Entries(events), e => e.EventId == late.EventId);
    }

    [Fact]
    public void A_ctcae_grade_5_adverse_event_is_taken_as_death_on_its_date_and_shown_as_such()
    {
        var fatal = Fatal("2012-03-10");
        List<ClinicalEvent> events = [Plan("2012-01-24"), fatal];
        Assert.Equal(["closed", "closed"], Statuses(events, "2012-03-10"));
        var view = JourneyProjection.Project(P, events, events.Count);
        Assert.Equal((true, D("2012-03-10")), (view.Deceased, view.DiedOn));
        Assert.Equal(fatal.EventId, view.Flags.Single(f => f.Code == "death-from-adverse-event").EventId);
    }

    [Fact]
    public void A_recorded_death_says_otherwise_than_a_grade_5_adverse_event()
    {
        List<ClinicalEvent> events = [Plan("2012-01-24"), Fatal("2012-03-10"), Died("2012-03-12")];
        // As of 03-11 only the adverse event was known: death on its date; from 03-12 the recorded death says otherwise.
        var closedOn = (string asOf) => SurveillanceEngine.Compute(events, D(asOf)).Items.Select(i => i.ClosedOn).Distinct().Single();
        Assert.Equal((D("2012-03-10"), D("2012-03-12")), (closedOn("2012-03-11"), closedOn("2012-03-12")));
        var view = JourneyProjection.Project(P, events, events.Count);
        Assert.Equal((true, D("2012-03-12")), (view.Deceased, view.DiedOn));
        Assert.DoesNotContain(view.Flags, f => f.Code == "death-from-adverse-event");
    }

    [Fact]
    public void The_navigator_is_the_latest_assigned()
    {
        List<ClinicalEvent> events =
        [
            new NavigatorAssigned { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D("2012-05-01"), Navigator = "nurse-b" },
            new NavigatorAssigned { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = D("2012-01-01"), Navigator = "nurse-a" },
        ];
        Assert.Equal("nurse-b", JourneyProjection.Project(P, events, 2).Navigator);
    }

    [Fact]
    public void Worklist_urgency_follows_the_order_of_the_open_statuses() =>
        Assert.Equal(Enumerable.Range(0, ItemStatus.Open.Count), ItemStatus.Open.Select(ItemStatus.Urgency));
}
