using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.DepartmentKit;
using PatientJourney.Diagnosis.Navigation;
using PatientJourney.Journey.Surveillance;

namespace PatientJourney.UnitTests.Diagnosis;

public class NavigationTests
{
    private const string P = "LMS-0001";
    private static readonly DateOnly Today = new(2026, 12, 6);

    private static CommandContext Context(params ClinicalEvent[] history) => new(P, history, Today, new Dictionary<string, string>());

    private static SurveillancePlanStarted Plan(DateOnly startsOn, string protocol = SurveillanceProtocolIds.CtEvery3MonthsVisitsMonthly) =>
        new() { PatientId = P, OccurredOn = startsOn, Protocol = protocol };

    private static SurveillancePlanEnded End(DateOnly endedOn) => new() { PatientId = P, OccurredOn = endedOn, Reason = SurveillancePlanEndReason.Completed };

    private static MultidisciplinaryDecisionRecorded Mdt(DateOnly on, ProcedureKind procedure) =>
        new() { PatientId = P, OccurredOn = on, Decision = "TACE", PlannedProcedures = [new PlannedProcedure(procedure, 2, 3, null)] };

    private static PatientDied Died(DateOnly on) => new() { PatientId = P, OccurredOn = on };

    private static Refusal? Book(string kind, params ClinicalEvent[] history) =>
        BookingAppointment.Decide(new BookAppointment(kind, Today.AddDays(10), null), Context(history)).Refused;

    [Fact]
    public void The_kinds_of_the_active_plan_and_of_MDT_decisions_are_open()
    {
        var state = SurveillanceState.Of([Plan(new(2012, 1, 24)), Mdt(new(2012, 1, 24), ProcedureKind.Tace)]);
        Assert.Equal(["clinic-visit", "ct", "echocardiogram", "tace"], state.OpenKinds.Order());
        Assert.Null(Book("ct", Plan(new(2012, 1, 24))));
        Assert.Null(Book("tace", Mdt(new(2012, 1, 24), ProcedureKind.Tace)));
    }

    [Fact]
    public void Booking_a_kind_no_plan_or_decision_schedules_is_409_naming_kind()
    {
        Assert.Equal((409, "kind"), Book("pet-ct", Plan(new(2012, 1, 24))) is { } r ? (r.Status, r.Field) : default);
        Assert.Equal((409, "kind"), Book("ct") is { } none ? (none.Status, none.Field) : default);
    }

    [Fact]
    public void An_ended_plan_and_the_decisions_before_its_end_leave_only_echocardiograms_open()
    {
        var state = SurveillanceState.Of([Mdt(new(2012, 1, 24), ProcedureKind.Rfa), Plan(new(2012, 1, 24)), End(new(2014, 1, 24))]);
        Assert.Null(state.ActivePlan);
        // Echocardiograms stay open to navigation: exposures the department does not hold open them.
        Assert.Equal(["echocardiogram"], state.OpenKinds);
        Assert.Equal(409, Book("ct", Plan(new(2012, 1, 24)), End(new(2014, 1, 24)))!.Status);
    }

    [Fact]
    public void A_plan_started_the_day_the_last_one_ended_is_active()
    {
        var restarted = Plan(new(2014, 1, 24), SurveillanceProtocolIds.EsmoSoftTissueSarcomaHighGrade);
        Assert.Same(restarted, SurveillanceState.Of([Plan(new(2012, 1, 24)), End(new(2014, 1, 24)), restarted]).ActivePlan);
    }

    [Fact]
    public void A_late_recorded_older_plan_does_not_replace_the_latest_one()
    {
        var latest = Plan(new(2014, 1, 24));
        Assert.Same(latest, SurveillanceState.Of([latest, Plan(new(2012, 1, 24))]).ActivePlan);
    }

    [Fact]
    public void After_death_nothing_is_open_and_a_second_death_or_a_plan_end_is_409()
    {
        ClinicalEvent[] history = [Plan(new(2012, 1, 24)), Died(new(2015, 3, 1))];
        Assert.Empty(SurveillanceState.Of(history).OpenKinds);
        Assert.Equal((409, "kind"), Book("ct", history) is { } r ? (r.Status, r.Field) : default);
        Assert.Equal(409, RecordingDeath.Decide(new RecordDeath(new(2015, 3, 2), null), Context(history)).Refused!.Status);
        Assert.Equal(409, EndingSurveillancePlan.Decide(new EndSurveillancePlan(new(2015, 3, 1), SurveillancePlanEndReason.Completed), Context(history)).Refused!.Status);
    }

    [Fact]
    public void Ending_a_plan_before_its_start_or_when_none_is_active_is_409_naming_endedOn()
    {
        var end = new EndSurveillancePlan(new(2012, 1, 1), SurveillancePlanEndReason.Declined);
        Assert.Equal((409, "endedOn"), EndingSurveillancePlan.Decide(end, Context(Plan(new(2012, 1, 24)))).Refused is { } r ? (r.Status, r.Field) : default);
        Assert.Equal((409, "endedOn"), EndingSurveillancePlan.Decide(end, Context()).Refused is { } none ? (none.Status, none.Field) : default);
    }

    [Fact]
    public void A_fact_dated_by_the_navigator_is_dated_today_and_a_dated_fact_by_its_own_date()
    {
        var booked = (AppointmentBooked)BookingAppointment.Decide(new BookAppointment("ct", Today.AddDays(10), "CT 2"), Context(Plan(new(2012, 1, 24)))).Events.Single();
        Assert.Equal(Today, booked.OccurredOn);
        var ended = (SurveillancePlanEnded)EndingSurveillancePlan.Decide(new EndSurveillancePlan(new(2016, 5, 1), SurveillancePlanEndReason.Transferred), Context(Plan(new(2012, 1, 24)))).Events.Single();
        Assert.Equal(new DateOnly(2016, 5, 1), ended.EndedOn);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    [InlineData(1, true)]
    public void A_deferral_runs_until_a_day_after_today(int daysFromToday, bool valid)
    {
        var v = new FieldValidation();
        new DeferItem("ct", Today.AddDays(daysFromToday), "patient on holiday").Validate(v, Today);
        Assert.Equal(valid, v.IsValid);
        if (!valid) Assert.Contains("until", v.Errors.Keys);
    }
}
