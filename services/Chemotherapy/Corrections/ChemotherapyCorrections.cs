using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.DepartmentKit;
using PatientJourney.DepartmentKit.FactCorrections;

namespace PatientJourney.Chemotherapy.Corrections;

/// <summary>
/// What a correction of the chemotherapy record must keep true. Each cycle's cumulative doses are computed from its
/// regimen and the cycles before it (the cardiotoxic ledger), so a regimen or a cycle is corrected only while no later
/// cycle of its regimen stands: corrections go from the latest cycle back, and the ledger never holds a total computed
/// from a dose that was since corrected. A stop names its regimen, which then stays.
/// </summary>
public static class ChemotherapyCorrections
{
    public static Decision? Check(ClinicalEvent fact, ClinicalEvent? amendment, IReadOnlyList<ClinicalEvent> standingAfter)
    {
        switch (fact)
        {
            case ChemoRegimenStarted regimen:
            {
                var cycles = standingAfter.OfType<ChemoCycleCompleted>().Count(c => c.RegimenId == regimen.RegimenId);
                if (cycles > 0)
                    return Decision.Conflict(CorrectingFacts.Field,
                        $"{cycles} cycle(s) of regimen {regimen.RegimenId} were dosed from it: retract them first, from the latest");
                var stopped = standingAfter.OfType<ChemoRegimenStopped>().Any(s => s.RegimenId == regimen.RegimenId);
                if (stopped && (amendment as ChemoRegimenStarted)?.RegimenId != regimen.RegimenId)
                    return Decision.Conflict(CorrectingFacts.Field, $"regimen {regimen.RegimenId} has a stop that names it: retract the stop first");
                return null;
            }
            case ChemoCycleCompleted cycle:
            {
                var later = standingAfter.OfType<ChemoCycleCompleted>()
                    .Where(c => c.RegimenId == cycle.RegimenId && c.CycleNumber > cycle.CycleNumber).Select(c => c.CycleNumber).Order().ToList();
                return later.Count == 0 ? null : Decision.Conflict(CorrectingFacts.Field,
                    $"cycle {later[^1]} of regimen {cycle.RegimenId} stands, dosed after this one: correct from the latest cycle back");
            }
            default:
                return null;
        }
    }
}
