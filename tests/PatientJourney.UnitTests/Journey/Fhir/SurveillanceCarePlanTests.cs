using Hl7.Fhir.Model;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Journey.Fhir;
using PatientJourney.Journey.Surveillance;
using PatientJourney.PlanDefinitions;
using Schedule = PatientJourney.Journey.Surveillance.Schedule;

namespace PatientJourney.UnitTests.Journey.Fhir;

public class SurveillanceCarePlanTests
{
    private static readonly DateOnly AsOf = new(2020, 6, 1);
    private static readonly ResourceReference Subject = new() { Type = "Patient", Identifier = new Identifier(FhirExport.MrnSystem, "P-1") };

    [Theory]
    [InlineData(ItemStatus.Done, CarePlan.CarePlanActivityStatus.Completed)]
    [InlineData(ItemStatus.Booked, CarePlan.CarePlanActivityStatus.Scheduled)]
    [InlineData(ItemStatus.Missed, CarePlan.CarePlanActivityStatus.NotStarted)]
    [InlineData(ItemStatus.Overdue, CarePlan.CarePlanActivityStatus.NotStarted)]
    [InlineData(ItemStatus.Deferred, CarePlan.CarePlanActivityStatus.NotStarted)]
    [InlineData(ItemStatus.Suspended, CarePlan.CarePlanActivityStatus.OnHold)]
    [InlineData(ItemStatus.Closed, CarePlan.CarePlanActivityStatus.Cancelled)]
    public void An_items_status_maps_to_the_activitys(string status, CarePlan.CarePlanActivityStatus expected) =>
        Assert.Equal(expected, SurveillanceCarePlan.StatusOf(status));

    [Fact]
    public void A_plan_instantiates_its_protocol_and_each_triggered_rule_and_each_item_the_one_it_came_from()
    {
        var schedule = new Schedule(SurveillanceProtocolIds.CtEvery3MonthsVisitsMonthly, new DateOnly(2020, 1, 15),
        [
            new ScheduledItem(SurveillanceItemKinds.ClinicVisit, new DateOnly(2020, 2, 15), null, null, false),
            new ScheduledItem(SurveillanceItemKinds.Tace, new DateOnly(2020, 3, 1), null, null, false),
            new ScheduledItem(SurveillanceItemKinds.Echocardiogram, new DateOnly(2020, 4, 1), new DateOnly(2020, 4, 2), Guid.NewGuid(), false) { Rule = ExposureRules.EscAnthracyclineCumulative250 },
        ]) { Rules = [new TriggeredRule(ExposureRules.EscAnthracyclineCumulative250, new DateOnly(2020, 4, 1), 260m)] };

        var plan = SurveillanceCarePlan.From(schedule, AsOf, Subject);

        Assert.Equal([PlanDefinitionCodes.UrlOf(SurveillanceProtocolIds.CtEvery3MonthsVisitsMonthly), PlanDefinitionCodes.UrlOf(ExposureRules.EscAnthracyclineCumulative250)],
            plan.InstantiatesCanonical);
        var (visit, tace, echo) = (plan.Activity[0].Detail!, plan.Activity[1].Detail!, plan.Activity[2]);
        var echoDetail = echo.Detail!;
        Assert.Equal((CarePlan.CarePlanActivityKind.Appointment, PlanDefinitionCodes.UrlOf(SurveillanceProtocolIds.CtEvery3MonthsVisitsMonthly)),
            (visit.Kind, visit.InstantiatesCanonical.Single()));
        Assert.Empty(tace.InstantiatesCanonical); // an MDT's session, not the protocol's
        Assert.Equal(PlanDefinitionCodes.UrlOf(ExposureRules.EscAnthracyclineCumulative250), echoDetail.InstantiatesCanonical.Single());
        Assert.Equal(CarePlan.CarePlanActivityStatus.Completed, echoDetail.Status);
        Assert.Equal($"urn:uuid:{schedule.Items[2].CompletedByEventId}", echo.OutcomeReference.Single().Reference);
        Assert.Contains(echoDetail.Code!.Coding, c => c.System == "http://snomed.info/sct" && c.Code == "40701008");
    }
}
