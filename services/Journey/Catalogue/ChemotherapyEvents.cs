using Hl7.Fhir.Model;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;
using static PatientJourney.Journey.Catalogue.ClinicalCodes;

namespace PatientJourney.Journey.Catalogue;

public static partial class JourneyEvents
{
    private static IEnumerable<EventMeaning> Chemotherapy() =>
    [
        new EventMeaning<ChemoRegimenStarted>
        {
            Summary = r => $"Regimen {r.RegimenId} started: {r.Name}, q{r.CycleLengthDays}d, BSA {Num(r.BsaM2)} m2",
            IsTreatment = true,
            BodySurfaceArea = r => r.BsaM2,
        },
        new EventMeaning<ChemoCycleCompleted>
        {
            Summary = c => $"Cycle {c.CycleNumber} of {c.RegimenId} completed: "
                           + string.Join(", ", c.Drugs.Where(d => d.Purpose == DrugPurpose.Antineoplastic).Select(d => $"{d.Drug} {Num(d.DoseMg)} mg"))
                           + $"; cumulative doxorubicin {Num(c.CumulativeDoxorubicinMgPerM2)} mg/m2",
            IsTreatment = true,
            BodySurfaceArea = c => c.BsaM2,
            // mCODE: a cancer-related medication administration for every drug of the cycle.
            Fhir = (c, fhir) =>
            {
                foreach (var drug in c.Drugs)
                    fhir.Add(FhirEntries.DeterministicId($"{c.EventId}/{drug.Drug}"), new MedicationAdministration
                    {
                        Status = MedicationAdministration.MedicationAdministrationStatusCodes.Completed,
                        Medication = new CodeableConcept { Text = drug.Drug },
                        Subject = fhir.Subject,
                        Effective = new Period { Start = Date(c.StartedOn), End = Date(c.CompletedOn) },
                        Note = [new Annotation { Text = $"Cycle {c.CycleNumber} of {fhir.RegimenName(c.RegimenId)} ({drug.Purpose.ToString().ToLowerInvariant()}); {drug.Days} day(s) of {Num(drug.DosePerDayMg)} mg" }],
                        Dosage = new MedicationAdministration.DosageComponent
                        {
                            Route = new CodeableConcept { Text = drug.Route.ToString().ToLowerInvariant() },
                            Dose = new Quantity(drug.DoseMg, "mg", FhirEntries.Ucum),
                        },
                    });
            },
        },
        new EventMeaning<ChemoRegimenStopped> { Summary = s => $"Regimen {s.RegimenId} stopped" },
        new EventMeaning<AdverseEventRecorded>
        {
            Summary = a => $"Adverse event: {a.Term}, CTCAE grade {a.Grade}",
            Toxicities = a => [new GradedTerm(a.Term, a.Grade)],
        },
    ];
}
