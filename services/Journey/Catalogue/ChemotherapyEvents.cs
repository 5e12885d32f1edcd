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
            // mCODE CancerRelatedMedicationAdministration for every drug of the cycle, over the cycle days it was given on.
            Fhir = (c, fhir) =>
            {
                foreach (var drug in c.Drugs)
                {
                    var days = fhir.CycleDays(c.RegimenId, drug.Drug);
                    fhir.Add(FhirEntries.DeterministicId($"{c.EventId}/{drug.Drug}"), new MedicationAdministration
                    {
                        Meta = McodeCodes.Profile(McodeCodes.CancerRelatedMedicationAdministration),
                        Status = MedicationAdministration.MedicationAdministrationStatusCodes.Completed,
                        Medication = McodeCodes.Medication(drug.Drug, drug.RxNorm),
                        Subject = fhir.Subject,
                        Effective = GivenOn(c, days),
                        ReasonReference = fhir.PrimaryCancer is { } cancer ? [cancer] : [],
                        Note = [new Annotation { Text = $"Cycle {c.CycleNumber} of {fhir.RegimenName(c.RegimenId)} ({drug.Purpose.ToString().ToLowerInvariant()}); "
                                                        + (days.Count > 0 ? $"day(s) {string.Join(", ", days)}" : $"{drug.Days} day(s)") + $" of {Num(drug.DosePerDayMg)} mg" }],
                        Dosage = new MedicationAdministration.DosageComponent
                        {
                            Route = new CodeableConcept { Text = drug.Route.ToString().ToLowerInvariant() },
                            Dose = McodeCodes.Mg(drug.DoseMg),
                        },
                    });
                }
            },
        },
        new EventMeaning<ChemoRegimenStopped> { Summary = s => $"Regimen {s.RegimenId} stopped" },
        new EventMeaning<AdverseEventRecorded>
        {
            Summary = a => $"Adverse event: {a.Term}, CTCAE grade {a.Grade}",
            Toxicities = a => [new GradedTerm(a.Term, a.Grade)],
        },
    ];

    /// <summary>
    /// The drug's own days: cycle day n is the cycle's start + n - 1 (filgrastim on days 1-5 of a cycle completed on
    /// day 4 runs to day 5). The whole cycle only when the regimen does not list the drug.
    /// </summary>
    public static Period GivenOn(ChemoCycleCompleted cycle, IReadOnlyList<int> cycleDays) => cycleDays.Count == 0
        ? new Period { Start = Date(cycle.StartedOn), End = Date(cycle.CompletedOn) }
        : new Period { Start = Date(cycle.StartedOn.AddDays(cycleDays.Min() - 1)), End = Date(cycle.StartedOn.AddDays(cycleDays.Max() - 1)) };
}
