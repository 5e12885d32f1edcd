using System.Text.Json;
using Hl7.Fhir.Model;
using PatientJourney.Contracts.Diagnosis;
using static PatientJourney.Journey.Catalogue.ClinicalCodes;

namespace PatientJourney.Journey.Catalogue;

// The navigation facts the diagnosis department records: their summaries leave out locations, reasons, facilities,
// causes and navigators (free text or people), which the events keep for those allowed to read them.
public static partial class JourneyEvents
{
    private static IEnumerable<EventMeaning> Navigation() =>
    [
        new EventMeaning<AppointmentBooked>
        {
            Summary = a => $"Appointment booked: {a.Kind} on {Date(a.ScheduledOn)}",
            // FHIR R4 Appointment: a booked one must have start and end (app-3); the contract knows the day only.
            Fhir = (a, fhir) => fhir.Add(a.EventId, new Appointment
            {
                Status = Appointment.AppointmentStatus.Booked,
                ServiceType = [new CodeableConcept { Text = a.Kind }],
                Start = new DateTimeOffset(a.ScheduledOn.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
                End = new DateTimeOffset(a.ScheduledOn.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
                Comment = "Booked for the day; the time is not recorded",
                Participant = [new Appointment.ParticipantComponent { Actor = fhir.Subject, Status = ParticipationStatus.Accepted }],
            }),
        },
        new EventMeaning<SurveillanceItemDeferred> { Summary = d => $"Surveillance {d.Kind} deferred until {Date(d.Until)}" },
        new EventMeaning<SurveillanceIntervalOverridden> { Summary = o => $"Surveillance {o.Kind} every {o.IntervalMonths} month(s) for this patient (override)" },
        new EventMeaning<OutsideResultRecorded>
        {
            Summary = o => $"Outside result: {o.Kind}",
            PerformsKind = o => o.Kind,
        },
        new EventMeaning<SurveillancePlanEnded> { Summary = e => $"Surveillance plan ended: {JsonSerializer.Serialize(e.Reason).Trim('"')}" },
        new EventMeaning<PatientDied>
        {
            Summary = _ => "Patient died",
            // FHIR R4 Patient.deceasedDateTime: the patient resource is the bundle's, written before the events.
            Fhir = (d, fhir) =>
            {
                if (fhir.Bundle.Entry.Select(e => e.Resource).OfType<Patient>().FirstOrDefault() is { } patient)
                    patient.Deceased = new FhirDateTime(Date(d.DiedOn));
            },
        },
        new EventMeaning<NavigatorAssigned> { Summary = _ => "Navigator assigned" },
    ];
}
