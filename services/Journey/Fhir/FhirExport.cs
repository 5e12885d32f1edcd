using Hl7.Fhir.Model;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Journey.Catalogue;
using PatientJourney.Journey.Surveillance;
using static PatientJourney.Journey.Catalogue.ClinicalCodes;
using static PatientJourney.Journey.Catalogue.FhirEntries;
using PatientJourney.Journey.Merging;

namespace PatientJourney.Journey.Fhir;

/// <summary>
/// A patient's journey as an HL7 FHIR R4 collection Bundle coded like mCODE STU4 (primary and secondary cancer
/// conditions, cancer-related medication administrations and surgical procedures, ECOG, disease status from each
/// scan's response) and valid against the base R4 profiles; docs/audit.md lists the profiles and codes. Entries are
/// urn:uuid fullUrls derived from the event ids, so the same events export the same bundle.
/// </summary>
public static class FhirExport
{
    public const string MrnSystem = "urn:patientjourney:mrn";

    public static Bundle Export(string patientId, IReadOnlyList<ClinicalEvent> stream, DateOnly asOf)
    {
        var events = ClinicalOrder.Sort(Corrections.Standing(stream).Where(e => e.OccurredOn <= asOf));
        var bundle = new Bundle { Type = Bundle.BundleType.Collection, Timestamp = DateTimeOffset.UtcNow };
        var patientUrl = Urn(DeterministicId(patientId));
        var subject = new ResourceReference(patientUrl);
        var registration = MergedRecords.RegistrationOf(events, patientId);

        var patient = new Patient { Identifier = [new Identifier(MrnSystem, patientId)], Active = true };
        if (registration is not null)
        {
            patient.Gender = registration.Sex switch
            {
                Sex.Female => AdministrativeGender.Female,
                Sex.Male => AdministrativeGender.Male,
                Sex.Other => AdministrativeGender.Other,
                _ => AdministrativeGender.Unknown,
            };
            patient.BirthDate = Date(registration.BirthDate);
            if (registration.DisplayName is { } name) patient.Name = [new HumanName { Text = name }];
        }
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = patientUrl, Resource = patient });

        // What each event adds is the catalogue's: one place per event type, here only the patient and the care plan.
        var entries = new FhirEntries(bundle, subject, events);
        foreach (var e in events) JourneyEvents.Of(e).AddToFhir(e, entries);
        AddRetracted(bundle, subject, events, stream, asOf);
        var urls = bundle.Entry.Select(e => e.FullUrl).ToHashSet(StringComparer.Ordinal);

        bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = Urn(DeterministicId($"{patientId}/careplan")),
            Resource = SurveillanceCarePlan.From(SurveillanceEngine.Compute(events, asOf), asOf, subject, inBundle: id => urls.Contains(Urn(id))),
        });
        return bundle;
    }

    /// <summary>
    /// A retracted fact stays in the export as what it was, marked entered-in-error, so a system that imported it can
    /// withdraw it. Written into a scratch bundle first: a retracted fact must change nothing else (a retracted death
    /// leaves the patient alive). A superseded version is left out: its amendment is in the bundle in its place.
    /// </summary>
    private static void AddRetracted(Bundle bundle, ResourceReference subject, IReadOnlyList<ClinicalEvent> standing, IReadOnlyList<ClinicalEvent> stream, DateOnly asOf)
    {
        var corrections = Corrections.Of(stream);
        var retracted = ClinicalOrder.Sort(stream.Where(e => e.OccurredOn <= asOf && corrections.GetValueOrDefault(e.EventId)?.RetractedBy is not null));
        if (retracted.Count == 0) return;
        var scratch = new Bundle();
        scratch.Entry.Add((Bundle.EntryComponent)bundle.Entry[0].DeepCopy());
        var entries = new FhirEntries(scratch, subject, standing);
        foreach (var e in retracted) JourneyEvents.Of(e).AddToFhir(e, entries);
        foreach (var entry in scratch.Entry.Skip(1))
            if (entry.Resource is { } resource && MarkEnteredInError(resource)) bundle.Entry.Add(entry);
    }

    /// <summary>Sets the resource's own entered-in-error status; false for a resource that has none (then it is left out).</summary>
    private static bool MarkEnteredInError(Resource resource)
    {
        switch (resource)
        {
            case Observation o: o.Status = ObservationStatus.EnteredInError; return true;
            case Procedure p: p.Status = EventStatus.EnteredInError; return true;
            case MedicationAdministration m: m.Status = MedicationAdministration.MedicationAdministrationStatusCodes.EnteredInError; return true;
            case DiagnosticReport d: d.Status = DiagnosticReport.DiagnosticReportStatus.EnteredInError; return true;
            case Appointment a: a.Status = Appointment.AppointmentStatus.EnteredInError; return true;
            case Condition c:
                // con-5: an entered-in-error condition has no clinical status.
                c.VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "entered-in-error");
                c.ClinicalStatus = null;
                return true;
            default: return false;
        }
    }
}
