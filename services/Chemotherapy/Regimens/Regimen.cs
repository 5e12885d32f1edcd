using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;

namespace PatientJourney.Chemotherapy.Regimens;

/// <summary>A regimen as the department knows it, folded from the patient's chemotherapy stream.</summary>
public sealed record Regimen(ChemoRegimenStarted Started, IReadOnlyList<ChemoCycleCompleted> Cycles, ChemoRegimenStopped? Stopped)
{
    public ChemoCycleCompleted? LastCycle => Cycles.Count == 0 ? null : Cycles[^1];

    public static Regimen? Find(IEnumerable<ClinicalEvent> history, string regimenId)
    {
        Regimen? regimen = null;
        foreach (var e in history)
        {
            regimen = e switch
            {
                ChemoRegimenStarted s when s.RegimenId == regimenId => new Regimen(s, [], null),
                ChemoCycleCompleted cycle when cycle.RegimenId == regimenId && regimen is not null => regimen with { Cycles = [.. regimen.Cycles, cycle] },
                ChemoRegimenStopped stop when stop.RegimenId == regimenId && regimen is not null => regimen with { Stopped = stop },
                _ => regimen,
            };
        }
        return regimen;
    }
}
