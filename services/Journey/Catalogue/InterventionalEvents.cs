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
                    Status = EventStatus.Completed,
                    Code = new CodeableConcept { Text = "Transarterial chemoembolization (TACE)" },
                    Subject = fhir.Subject,
                    Performed = new FhirDateTime(Date(t.OccurredOn)),
                    BodySite = [new CodeableConcept { Text = t.Target }],
                    Complication = t.Toxicities.Select(x => new CodeableConcept { Text = $"{x.Term}, CTCAE grade {x.Grade}" }).ToList(),
                    Note = [new Annotation { Text = string.Join("; ", new[] { t.Carrier, t.Approach }.Where(x => x is not null)) is { Length: > 0 } n ? n : "TACE" }],
                });
                fhir.Add(FhirEntries.DeterministicId($"{t.EventId}/drug"), new MedicationAdministration
                {
                    Status = MedicationAdministration.MedicationAdministrationStatusCodes.Completed,
                    Medication = new CodeableConcept { Text = t.Drug },
                    Subject = fhir.Subject,
                    Effective = new FhirDateTime(Date(t.OccurredOn)),
                    PartOf = [new ResourceReference(FhirEntries.Urn(t.EventId))],
                    Dosage = new MedicationAdministration.DosageComponent { Route = new CodeableConcept { Text = "intra-arterial" }, Dose = new Quantity(t.DoseMg, "mg", FhirEntries.Ucum) },
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
                Status = EventStatus.Completed,
                Code = new CodeableConcept { Text = "Radiofrequency ablation (RFA)" },
                Subject = fhir.Subject,
                Performed = new FhirDateTime(Date(rfa.OccurredOn)),
                BodySite = [new CodeableConcept { Text = rfa.Target }],
                Outcome = new CodeableConcept { Text = rfa.TechnicalSuccess ? "technical success" : "technical failure" },
                Complication = rfa.Complications.Select(x => new CodeableConcept { Text = $"{x.Term}, CTCAE grade {x.Grade}" }).ToList(),
            }),
        },
    ];
}
