using System.Globalization;
using Hl7.Fhir.Model;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Contracts.Imaging;
using PatientJourney.Contracts.Interventional;
using PatientJourney.Journey.Projections;
using PatientJourney.Journey.Surveillance;

namespace PatientJourney.Journey.Fhir;

/// <summary>
/// A patient's journey as an HL7 FHIR R4 collection Bundle, in the spirit of mCODE (primary and secondary cancer
/// conditions, cancer-related medication administrations and procedures, ECOG, imaging reports with their response)
/// while validating against the base R4 profiles. Entries are urn:uuid fullUrls derived from the event ids, so the
/// same events export the same bundle.
/// </summary>
public static class FhirExport
{
    public const string MrnSystem = "urn:patientjourney:mrn";
    private const string Ucum = "http://unitsofmeasure.org";
    private const string Loinc = "http://loinc.org";

    public static Bundle Export(string patientId, IReadOnlyList<ClinicalEvent> stream, DateOnly asOf)
    {
        var events = JourneyProjection.InClinicalOrder(stream.Where(e => e.OccurredOn <= asOf));
        var bundle = new Bundle { Type = Bundle.BundleType.Collection, Timestamp = DateTimeOffset.UtcNow };
        var patientUrl = Urn(DeterministicId(patientId));
        var subject = new ResourceReference(patientUrl);
        var registration = events.OfType<PatientRegistered>().FirstOrDefault();

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
            patient.BirthDate = DateText(registration.BirthDate);
            if (registration.DisplayName is { } name) patient.Name = [new HumanName { Text = name }];
        }
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = patientUrl, Resource = patient });
        void Add(Guid id, Resource resource) => bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = Urn(id), Resource = resource });

        var regimens = events.OfType<ChemoRegimenStarted>().ToDictionary(r => r.RegimenId);
        foreach (var e in events)
        {
            switch (e)
            {
                case DiagnosisConfirmed d:
                    Add(e.EventId, Condition(subject, d, $"{d.Histology}{(d.Differentiation is null ? "" : $", {d.Differentiation}")}", d.PrimarySite, "primary cancer condition"));
                    for (var i = 0; i < d.MetastaticSites.Count; i++)
                        Add(DeterministicId($"{e.EventId}/secondary/{i}"), Condition(subject, d, $"Secondary malignant neoplasm: {d.Histology}", d.MetastaticSites[i], "secondary cancer condition"));
                    break;
                case PerformanceStatusRecorded p:
                    Add(e.EventId, Ecog(subject, p.OccurredOn, p.Ecog));
                    break;
                case ClinicVisitRecorded { Ecog: { } ecog } v:
                    Add(e.EventId, Ecog(subject, v.OccurredOn, ecog));
                    break;
                case ChemoCycleCompleted c:
                    foreach (var drug in c.Drugs)
                        Add(DeterministicId($"{e.EventId}/{drug.Drug}"), new MedicationAdministration
                        {
                            Status = MedicationAdministration.MedicationAdministrationStatusCodes.Completed,
                            Medication = new CodeableConcept { Text = drug.Drug },
                            Subject = subject,
                            Effective = new Period { Start = DateText(c.StartedOn), End = DateText(c.CompletedOn) },
                            Note = [new Annotation { Text = $"Cycle {c.CycleNumber} of {(regimens.TryGetValue(c.RegimenId, out var r) ? r.Name : c.RegimenId)} ({drug.Purpose.ToString().ToLowerInvariant()}); {drug.Days} day(s) of {Num(drug.DosePerDayMg)} mg" }],
                            Dosage = new MedicationAdministration.DosageComponent
                            {
                                Route = new CodeableConcept { Text = drug.Route.ToString().ToLowerInvariant() },
                                Dose = new Quantity(drug.DoseMg, "mg", Ucum),
                            },
                        });
                    break;
                case TacePerformed t:
                    var taceUrl = Urn(e.EventId);
                    Add(e.EventId, new Procedure
                    {
                        Status = EventStatus.Completed,
                        Code = new CodeableConcept { Text = "Transarterial chemoembolization (TACE)" },
                        Subject = subject,
                        Performed = new FhirDateTime(DateText(t.OccurredOn)),
                        BodySite = [new CodeableConcept { Text = t.Target }],
                        Complication = t.Toxicities.Select(x => new CodeableConcept { Text = $"{x.Term}, CTCAE grade {x.Grade}" }).ToList(),
                        Note = [new Annotation { Text = string.Join("; ", new[] { t.Carrier, t.Approach }.Where(x => x is not null)) is { Length: > 0 } n ? n : "TACE" }],
                    });
                    Add(DeterministicId($"{e.EventId}/drug"), new MedicationAdministration
                    {
                        Status = MedicationAdministration.MedicationAdministrationStatusCodes.Completed,
                        Medication = new CodeableConcept { Text = t.Drug },
                        Subject = subject,
                        Effective = new FhirDateTime(DateText(t.OccurredOn)),
                        PartOf = [new ResourceReference(taceUrl)],
                        Dosage = new MedicationAdministration.DosageComponent { Route = new CodeableConcept { Text = "intra-arterial" }, Dose = new Quantity(t.DoseMg, "mg", Ucum) },
                    });
                    break;
                case RfaPerformed rfa:
                    Add(e.EventId, new Procedure
                    {
                        Status = EventStatus.Completed,
                        Code = new CodeableConcept { Text = "Radiofrequency ablation (RFA)" },
                        Subject = subject,
                        Performed = new FhirDateTime(DateText(rfa.OccurredOn)),
                        BodySite = [new CodeableConcept { Text = rfa.Target }],
                        Outcome = new CodeableConcept { Text = rfa.TechnicalSuccess ? "technical success" : "technical failure" },
                        Complication = rfa.Complications.Select(x => new CodeableConcept { Text = $"{x.Term}, CTCAE grade {x.Grade}" }).ToList(),
                    });
                    break;
                case PetCtResulted pet:
                    var suv = pet.Lesions.Select(l => (Id: DeterministicId($"{e.EventId}/{l.LesionId}"), Lesion: l)).ToList();
                    foreach (var (id, lesion) in suv)
                        Add(id, new Observation
                        {
                            Status = ObservationStatus.Final,
                            Code = new CodeableConcept { Text = "SUVmax" },
                            Subject = subject,
                            Effective = new FhirDateTime(DateText(pet.OccurredOn)),
                            BodySite = new CodeableConcept { Text = lesion.Site },
                            Value = new Quantity { Value = lesion.SuvMax, Unit = "SUV" },
                        });
                    Add(e.EventId, Report(subject, pet.OccurredOn, $"PET/CT ({pet.Indication.ToString().ToLowerInvariant()})",
                        pet.Impression, pet.MetabolicResponse is { } m ? $"EORTC {JourneyProjection.MetabolicCode(m.Category)}" : null,
                        suv.Select(s => new ResourceReference(Urn(s.Id))).ToList()));
                    break;
                case CtResulted ct:
                    var response = events.OfType<ResponseAssessed>().FirstOrDefault(r => r.CtEventId == ct.EventId);
                    Add(e.EventId, Report(subject, ct.OccurredOn, $"CT {ct.Region}", ct.Impression,
                        response is null ? null : $"RECIST 1.1 {JourneyProjection.RecistCode(response.Category)}", []));
                    break;
            }
        }

        var schedule = SurveillanceEngine.Compute(events, asOf);
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = Urn(DeterministicId($"{patientId}/careplan")),
            Resource = new CarePlan
            {
                Status = RequestStatus.Active,
                Intent = CarePlan.CarePlanIntent.Plan,
                Subject = subject,
                Title = schedule.Protocol is null ? "Surveillance" : $"Surveillance ({schedule.Protocol})",
                Period = schedule.StartsOn is { } start ? new Period { Start = DateText(start) } : null,
                Activity = schedule.Items.Select(i => new CarePlan.ActivityComponent
                {
                    Detail = new CarePlan.DetailComponent
                    {
                        Code = new CodeableConcept { Text = i.Kind },
                        Status = i.StatusOn(asOf) switch
                        {
                            ItemStatus.Done => CarePlan.CarePlanActivityStatus.Completed,
                            ItemStatus.Suspended => CarePlan.CarePlanActivityStatus.OnHold,
                            _ => CarePlan.CarePlanActivityStatus.Scheduled,
                        },
                        StatusReason = new CodeableConcept { Text = i.StatusOn(asOf) },
                        Scheduled = new FhirString($"due {i.DueOn:yyyy-MM-dd}" + (i.CompletedOn is { } done ? $", done {done:yyyy-MM-dd}" : "")),
                    },
                }).ToList(),
            },
        });
        return bundle;
    }

    private static Condition Condition(ResourceReference subject, DiagnosisConfirmed d, string text, string? site, string role) => new()
    {
        ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
        VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"),
        Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item")],
        Code = new CodeableConcept { Text = text },
        BodySite = site is null ? [] : [new CodeableConcept { Text = site }],
        Subject = subject,
        Onset = new FhirDateTime(DateText(d.OccurredOn)),
        Note = [new Annotation { Text = role }],
    };

    // ECOG performance status: LOINC 89247-1.
    private static Observation Ecog(ResourceReference subject, DateOnly on, int ecog) => new()
    {
        Status = ObservationStatus.Final,
        Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "survey")],
        Code = new CodeableConcept(Loinc, "89247-1", "ECOG Performance Status score"),
        Subject = subject,
        Effective = new FhirDateTime(DateText(on)),
        Value = new Integer(ecog),
    };

    private static DiagnosticReport Report(ResourceReference subject, DateOnly on, string title, string? impression, string? response, List<ResourceReference> results) => new()
    {
        Status = DiagnosticReport.DiagnosticReportStatus.Final,
        Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/v2-0074", "RAD")],
        Code = new CodeableConcept { Text = title },
        Subject = subject,
        Effective = new FhirDateTime(DateText(on)),
        Result = results,
        Conclusion = string.Join("; ", new[] { impression, response }.Where(x => x is not null)) is { Length: > 0 } c ? c : null,
        ConclusionCode = response is null ? [] : [new CodeableConcept { Text = response }],
    };

    private static string Urn(Guid id) => $"urn:uuid:{id}";
    private static string DateText(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static string Num(decimal v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A stable UUID for a resource derived from an event (name-based, SHA-256 truncated, version bits set).</summary>
    private static Guid DeterministicId(string name)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8 (custom)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
