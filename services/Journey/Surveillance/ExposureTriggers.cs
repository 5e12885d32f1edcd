using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Journey.Exposures;

namespace PatientJourney.Journey.Surveillance;

/// <summary>A rule whose trigger the patient's facts met: on which day, at which cumulative doxorubicin-equivalent.</summary>
public sealed record TriggeredRule(string RuleId, DateOnly TriggeredOn, decimal CumulativeMgPerM2);

public static class ExposureTriggers
{
    /// <summary>The catalogue's rules the patient's facts trigger, each once, in the catalogue's order.</summary>
    /// <param name="known">Standing events in clinical order, as of the day the schedule is for.</param>
    public static IReadOnlyList<(ExposureRule Rule, TriggeredRule Triggered)> Of(IReadOnlyList<ClinicalEvent> known, IReadOnlyList<ExposureRule> rules)
    {
        if (rules.Count == 0) return [];
        var steps = AnthracyclineExposure.Steps(known);
        if (steps.Count == 0) return [];
        var firstDose = steps.FirstOrDefault(s => s.IsDose);
        var birthDate = known.OfType<PatientRegistered>().LastOrDefault()?.BirthDate;
        int? age = birthDate is { } born && firstDose is not null ? Years.WholeBetween(born, firstDose.On) : null;
        var endedOn = AnthracyclineExposure.EndedOn(known, steps);

        var triggered = new List<(ExposureRule, TriggeredRule)>();
        foreach (var rule in rules)
        {
            if (!rule.AgeAtFirstExposure.Includes(age)) continue;
            var trigger = rule.Trigger;
            bool InBand(decimal total) => total >= trigger.AtLeastMgPerM2 && (trigger.BelowMgPerM2 is null || total < trigger.BelowMgPerM2);
            switch (trigger.Kind)
            {
                case ExposureTriggerKinds.CumulativeDoxorubicinEquivalent:
                    if (steps.FirstOrDefault(s => InBand(s.TotalMgPerM2)) is { } crossed)
                        triggered.Add((rule, new TriggeredRule(rule.Id, crossed.On, crossed.TotalMgPerM2)));
                    break;
                case ExposureTriggerKinds.AnthracyclineTherapyEnded:
                    // The band is read on the total at the end: the whole exposure, whatever the steps on the way.
                    if (endedOn is { } ended && steps.Last(s => s.On <= ended) is { } atEnd && InBand(atEnd.TotalMgPerM2))
                        triggered.Add((rule, new TriggeredRule(rule.Id, ended, atEnd.TotalMgPerM2)));
                    break;
            }
        }
        return triggered;
    }
}
