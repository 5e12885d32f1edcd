using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Contracts.Interventional;
using PatientJourney.Contracts.Terminology;
using PatientJourney.Journey.Catalogue;

namespace PatientJourney.Journey.Exposures;

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

/// <summary>
/// The cumulative doxorubicin-equivalent total (mg/m2, as the journey's flags read it) after an event that changed it: an
/// anthracycline dose, or a body surface area that makes earlier TACE doses countable per m2.
/// </summary>
public sealed record ExposureStep(DateOnly On, decimal TotalMgPerM2, ClinicalEvent Event, bool IsDose);

/// <summary>
/// The patient's anthracycline exposure over time, for the rules it triggers: the same totals as
/// the journey's flags (JourneyProjection.Doxorubicin), taken after each event that changes them, and the end of the therapy.
/// </summary>
public static class AnthracyclineExposure
{
    /// <param name="ordered">Standing events in clinical order.</param>
    public static IReadOnlyList<ExposureStep> Steps(IReadOnlyList<ClinicalEvent> ordered)
    {
        List<ExposureStep>? steps = null;
        var byRegimen = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var locoregionalMg = 0m;
        decimal? bsa = null;
        foreach (var e in ordered)
        {
            var changed = false;
            var dose = false;
            if (JourneyEvents.Of(e).BsaM2(e) is { } m2 && m2 != bsa) { bsa = m2; changed = locoregionalMg > 0m; }
            if (e is ChemoCycleCompleted cycle)
            {
                var equivalent = cycle.CumulativeDoxorubicinEquivalentMgPerM2 ?? cycle.CumulativeDoxorubicinMgPerM2;
                if (equivalent > byRegimen.GetValueOrDefault(cycle.RegimenId)) { byRegimen[cycle.RegimenId] = equivalent; changed = dose = true; }
            }
            else if (e is TacePerformed tace && Anthracyclines.DoxorubicinEquivalentMg(tace) is > 0m and var mg) { locoregionalMg += mg; changed = dose = true; }
            if (!changed) continue;
            // Rounded as JourneyProjection.Doxorubicin rounds the total: locoregional per m2 to 0.1 (none while no BSA is known), then the sum.
            var locoregional = locoregionalMg == 0m || bsa is null ? 0m : Math.Round(locoregionalMg / bsa.Value, 1);
            (steps ??= []).Add(new ExposureStep(e.OccurredOn, Math.Round(byRegimen.Values.Sum() + locoregional, 1), e, dose));
        }
        return steps ?? (IReadOnlyList<ExposureStep>)[];
    }

    /// <summary>
    /// The day anthracycline therapy ended: its last dose, once every regimen that gave one was stopped or a surveillance
    /// plan started on or after its last cycle; null while one still runs (or none was given).
    /// </summary>
    public static DateOnly? EndedOn(IReadOnlyList<ClinicalEvent> ordered, IReadOnlyList<ExposureStep> steps)
    {
        var doses = steps.Where(s => s.IsDose).ToList();
        if (doses.Count == 0) return null;
        var lastCycleOf = doses.Select(s => s.Event).OfType<ChemoCycleCompleted>().GroupBy(c => c.RegimenId).ToDictionary(g => g.Key, g => g.Max(c => c.OccurredOn));
        var stopped = ordered.OfType<ChemoRegimenStopped>().Select(s => s.RegimenId).ToHashSet(StringComparer.Ordinal);
        var plans = ordered.OfType<SurveillancePlanStarted>().Select(p => p.StartsOn).ToList();
        var running = lastCycleOf.Any(r => !stopped.Contains(r.Key) && !plans.Any(p => p >= r.Value));
        return running ? null : doses[^1].On;
    }
}
