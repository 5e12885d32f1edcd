using Hl7.Fhir.Model;
using PatientJourney.Contracts.Interventional;
using static PatientJourney.Journey.Catalogue.ClinicalCodes;

namespace PatientJourney.Journey.Catalogue;

public static partial class JourneyEvents
{
    private static IEnumerable<EventMeaning> Interventional() =>
    [
        new EventMeaning<TacePerformed>
        {
            Summary = t => $"TACE: {t.Drug} {Num(t.DoseMg)} mg" + (t.Toxicities.Count > 0 ? $"; toxicity up to grade {t.Toxicities.Max(x => x.Grade)}" : ""),
            IsTreatment = true,
            Performs = ItemKinds.Tace,
            Toxicities = t => t.Toxicities,
            // The procedure, and the drug given in it as a medication administration that is part of it.
            Fhir = (t, fhir) =>
            {
                fhir.Add(t.EventId, new Procedure
                {
                    Meta = McodeCodes.Profile(McodeCodes.CancerRelatedSurgicalProcedure),
                    Status = EventStatus.Completed,
                    Category = new CodeableConcept { Coding = [McodeCodes.SurgicalProcedure] },
                    // No public source at hand confirmed a SNOMED CT code for TACE with its display: text only.
                    Code = new CodeableConcept { Text = "Transarterial chemoembolization (TACE)" },
                    Subject = fhir.Subject,
                    Performed = new FhirDateTime(Date(t.OccurredOn)),
                    ReasonReference = fhir.PrimaryCancer is { } cancer ? [cancer] : [],
                    BodySite = [McodeCodes.BodySite(t.Target)],
                    Complication = t.Toxicities.Select(x => new CodeableConcept { Text = $"{x.Term}, CTCAE grade {x.Grade}" }).ToList(),
                    Note = [new Annotation { Text = string.Join("; ", new[] { t.Carrier, t.Approach }.Where(x => x is not null)) is { Length: > 0 } n ? n : "TACE" }],
                });
                fhir.Add(FhirEntries.DeterministicId($"{t.EventId}/drug"), new MedicationAdministration
                {
                    Meta = McodeCodes.Profile(McodeCodes.CancerRelatedMedicationAdministration),
                    Status = MedicationAdministration.MedicationAdministrationStatusCodes.Completed,
                    Medication = McodeCodes.Medication(t.Drug, t.RxNorm),
                    Subject = fhir.Subject,
                    Effective = new FhirDateTime(Date(t.OccurredOn)),
                    PartOf = [new ResourceReference(FhirEntries.Urn(t.EventId))],
                    ReasonReference = fhir.PrimaryCancer is { } reason ? [reason] : [],
                    Dosage = new MedicationAdministration.DosageComponent { Route = new CodeableConcept { Text = "intra-arterial" }, Dose = McodeCodes.Mg(t.DoseMg) },
                });
            },
        },
        new EventMeaning<RfaPerformed>
        {
            Summary = r => $"RFA of {r.Target}: technical success {(r.TechnicalSuccess ? "yes" : "no")}"
                           + (r.Complications.Count > 0 ? $"; complication up to grade {r.Complications.Max(x => x.Grade)}" : ""),
            IsTreatment = true,
            Performs = ItemKinds.Rfa,
            Toxicities = r => r.Complications,
            Fhir = (rfa, fhir) => fhir.Add(rfa.EventId, new Procedure
            {
                Meta = McodeCodes.Profile(McodeCodes.CancerRelatedSurgicalProcedure),
                Status = EventStatus.Completed,
                Category = new CodeableConcept { Coding = [McodeCodes.SurgicalProcedure] },
                Code = new CodeableConcept { Coding = [McodeCodes.RadiofrequencyAblation], Text = "Radiofrequency ablation (RFA)" },
                Subject = fhir.Subject,
                Performed = new FhirDateTime(Date(rfa.OccurredOn)),
                ReasonReference = fhir.PrimaryCancer is { } cancer ? [cancer] : [],
                BodySite = [McodeCodes.BodySite(rfa.Target)],
                Outcome = new CodeableConcept { Text = rfa.TechnicalSuccess ? "technical success" : "technical failure" },
                Complication = rfa.Complications.Select(x => new CodeableConcept { Text = $"{x.Term}, CTCAE grade {x.Grade}" }).ToList(),
            }),
        },
    ];
}
