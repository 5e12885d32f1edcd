using PatientJourney.Contracts.Diagnosis;
using static PatientJourney.Journey.Catalogue.ClinicalCodes;

namespace PatientJourney.Journey.Catalogue;

public static partial class JourneyEvents
{
    private static IEnumerable<EventMeaning> Diagnosis() =>
    [
        new EventMeaning<PatientRegistered> { Summary = _ => "Patient registered" },
        new EventMeaning<DiagnosisConfirmed>
        {
            Summary = d => $"Diagnosis: {Histology(d)}" + (d.MetastaticSites.Count > 0 ? $"; metastatic to {string.Join(", ", d.MetastaticSites)}" : ""),
            // mCODE: the primary cancer condition, and a secondary one for each metastatic site.
            Fhir = (d, fhir) =>
            {
                fhir.Add(d.EventId, fhir.PrimaryCondition(d, Histology(d)));
                for (var i = 0; i < d.MetastaticSites.Count; i++)
                    fhir.Add(FhirEntries.SecondaryId(d, i), fhir.SecondaryCondition(d, i));
            },
        },
        new EventMeaning<PerformanceStatusRecorded>
        {
            Summary = p => $"ECOG {p.Ecog}",
            Fhir = (p, fhir) => fhir.Add(p.EventId, fhir.Ecog(p.OccurredOn, p.Ecog)),
        },
        new EventMeaning<MultidisciplinaryDecisionRecorded>
        {
            Summary = m => "MDT decision" + (m.PlannedProcedures.Count == 0 ? ""
                : ": " + string.Join(", ", m.PlannedProcedures.Select(p => $"{p.Sessions} x {Procedure(p.Procedure)}"))),
        },
        new EventMeaning<SurveillancePlanStarted> { Summary = s => $"Surveillance plan {s.Protocol} started" },
        new EventMeaning<ClinicVisitRecorded>
        {
            Summary = v => "Clinic visit" + (v.Ecog is { } ecog ? $", ECOG {ecog}" : ""),
            Performs = ItemKinds.ClinicVisit,
            Fhir = (v, fhir) =>
            {
                if (v.Ecog is { } ecog) fhir.Add(v.EventId, fhir.Ecog(v.OccurredOn, ecog));
            },
        },
    ];

    private static string Histology(DiagnosisConfirmed d) => $"{d.Histology}{(d.Differentiation is null ? "" : $", {d.Differentiation}")}";
}
