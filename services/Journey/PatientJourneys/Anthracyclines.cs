using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Interventional;
using PatientJourney.Contracts.Terminology;

namespace PatientJourney.Journey.PatientJourneys;

/// <summary>
/// What the journey reads of a drug for the cardiotoxic ledger: what the department resolved, and for an event recorded
/// before the formulary (free text, no codes) what the published formulary makes of its name, so "adriamycin" and
/// "doxorubicin (drug-eluting beads)" count.
/// </summary>
public static class Anthracyclines
{
    public static FormularyDrug? Drug(string name) => Formulary.Published.Find(name);

    /// <summary>A TACE dose in doxorubicin-equivalent mg: the department's figure, else the published formulary's factor.</summary>
    public static decimal DoxorubicinEquivalentMg(TacePerformed tace) =>
        tace.DoxorubicinEquivalentMg ?? (Drug(tace.Drug) is { Liposomal: false, DoxorubicinEquivalence: { } factor } ? tace.DoseMg * factor : 0m);

    /// <summary>Anthracyclines given with no published equivalence (pirarubicin, aclarubicin...), each event once.</summary>
    public static IEnumerable<(ClinicalEvent Event, string Drug)> NotConverted(IEnumerable<ClinicalEvent> events) =>
        events.SelectMany(e => (e switch
            {
                ChemoCycleCompleted cycle => cycle.Drugs.Select(d => d.Drug),
                TacePerformed tace => [tace.Drug],
                _ => [],
            })
            .Where(name => Drug(name) is { Anthracycline: true, Liposomal: false, DoxorubicinEquivalence: null })
            .Distinct()
            .Select(name => (e, name)));
}
