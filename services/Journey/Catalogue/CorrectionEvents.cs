using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Contracts.Imaging;
using PatientJourney.Contracts.Interventional;

namespace PatientJourney.Journey.Catalogue;

// Each department's retraction: it adds nothing itself; what it does is taken from every reading by
// Corrections.Standing, and the journey tells it on the fact it retracts (JourneyProjection.Entries).
public static partial class JourneyEvents
{
    private static IEnumerable<EventMeaning> Corrections() =>
    [
        Retraction<DiagnosisFactRetracted>(),
        Retraction<ChemotherapyFactRetracted>(),
        Retraction<InterventionalFactRetracted>(),
        Retraction<ImagingFactRetracted>(),
    ];

    private static EventMeaning<TRetraction> Retraction<TRetraction>() where TRetraction : ClinicalEvent, IFactRetraction =>
        new() { Summary = r => $"Retraction of {r.RetractedEventId}" };
}
