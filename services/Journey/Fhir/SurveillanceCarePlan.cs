using Hl7.Fhir.Model;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Journey.Surveillance;
using Schedule = PatientJourney.Journey.Surveillance.Schedule;
using PatientJourney.PlanDefinitions;
using static PatientJourney.Journey.Catalogue.ClinicalCodes;
using static PatientJourney.Journey.Catalogue.FhirEntries;

namespace PatientJourney.Journey.Fhir;

/// <summary>
/// A patient's schedule as a FHIR R4 CarePlan instantiating the catalogue's PlanDefinitions: the plan's protocol and each
/// rule the patient's facts triggered; one activity an item, its status mapped from the item's status on the day.
/// </summary>
public static class SurveillanceCarePlan
{
    /// <param name="inBundle">In a bundle, whether the event has an entry there: one that has none (a visit without an ECOG
    /// score, an outside result) is named by identifier, so that no reference of the bundle dangles.</param>
    public static CarePlan From(Schedule schedule, DateOnly asOf, ResourceReference subject, Func<Guid, bool>? inBundle = null)
    {
        var catalogue = SurveillanceCatalogue.Current;
        var protocol = schedule.Protocol is { } id && catalogue.Protocols.TryGetValue(id, out var p) ? p : null;
        return new CarePlan
        {
            Status = RequestStatus.Active,
            Intent = CarePlan.CarePlanIntent.Plan,
            Subject = subject,
            Title = schedule.Protocol is null ? "Surveillance" : $"Surveillance ({schedule.Protocol})",
            Period = schedule.StartsOn is { } start ? new Period { Start = Date(start) } : null,
            InstantiatesCanonical = [.. schedule.Protocol is { } protocolId ? [PlanDefinitionCodes.UrlOf(protocolId)] : Array.Empty<string>(),
                .. schedule.Rules.Select(r => PlanDefinitionCodes.UrlOf(r.RuleId))],
            Activity = schedule.Items.Select(item => Activity(item, asOf, protocol, inBundle)).ToList(),
        };
    }

    private static CarePlan.ActivityComponent Activity(ScheduledItem item, DateOnly asOf, SurveillanceProtocol? protocol, Func<Guid, bool>? inBundle)
    {
        var status = item.StatusOn(asOf);
        // An item is the rule's that opened it, else the protocol's when the protocol schedules its kind (else an MDT's).
        var from = item.Rule ?? (protocol?.Kinds.Contains(item.Kind) == true ? protocol.Id : null);
        var activity = new CarePlan.ActivityComponent
        {
            Detail = new CarePlan.DetailComponent
            {
                Kind = item.Kind == SurveillanceItemKinds.ClinicVisit ? CarePlan.CarePlanActivityKind.Appointment : CarePlan.CarePlanActivityKind.ServiceRequest,
                InstantiatesCanonical = from is null ? [] : [PlanDefinitionCodes.UrlOf(from)],
                Code = PlanDefinitionCodes.Concept(item.Kind),
                Status = StatusOf(status),
                StatusReason = new CodeableConcept { Text = status },
                Scheduled = new Period { Start = Date(item.DueOn) },
            },
        };
        // The same urn:uuid as the event's entry in the patient's export bundle.
        if (item.CompletedByEventId is { } done)
            activity.OutcomeReference = [inBundle is null || inBundle(done) ? new ResourceReference(Urn(done))
                : new ResourceReference { Identifier = new Identifier("urn:ietf:rfc:3986", Urn(done)), Display = "the event that completed the item" }];
        return activity;
    }

    /// <summary>Booked: scheduled; open and not booked (upcoming, due, overdue, missed, deferred): not started.</summary>
    public static CarePlan.CarePlanActivityStatus StatusOf(string status) => status switch
    {
        ItemStatus.Done => CarePlan.CarePlanActivityStatus.Completed,
        ItemStatus.Booked => CarePlan.CarePlanActivityStatus.Scheduled,
        ItemStatus.Suspended => CarePlan.CarePlanActivityStatus.OnHold,
        ItemStatus.Closed => CarePlan.CarePlanActivityStatus.Cancelled,
        _ => CarePlan.CarePlanActivityStatus.NotStarted,
    };
}
