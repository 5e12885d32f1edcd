using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;

namespace PatientJourney.Journey.Surveillance;

/// <summary>A navigator's interval for one kind of item, for one patient, from <see cref="Since"/> on, with the reason.</summary>
public sealed record IntervalOverride(string Kind, int IntervalMonths, DateOnly Since, string Reason, Guid EventId);

/// <summary>
/// The patient's interval overrides (<see cref="SurveillanceIntervalOverridden"/>) in clinical order. The one in force for
/// an item is the latest made on or before the day the item was done; for an open item, the latest of all.
/// </summary>
public sealed class IntervalOverrides
{
    private static readonly IntervalOverrides None = new([]);
    private readonly IReadOnlyList<IntervalOverride> _all;

    private IntervalOverrides(IReadOnlyList<IntervalOverride> all) => _all = all;

    /// <param name="known">Standing events in clinical order.</param>
    public static IntervalOverrides Of(IEnumerable<ClinicalEvent> known)
    {
        List<IntervalOverride>? all = null;
        foreach (var e in known)
            if (e is SurveillanceIntervalOverridden o) (all ??= []).Add(new IntervalOverride(o.Kind, o.IntervalMonths, o.OccurredOn, o.Reason, o.EventId));
        return all is null ? None : new IntervalOverrides(all);
    }

    public IntervalOverride? For(string kind, DateOnly? doneOn) =>
        _all.LastOrDefault(o => o.Kind == kind && (doneOn is null || o.Since <= doneOn));

    /// <summary>The latest override of each kind.</summary>
    public IReadOnlyList<IntervalOverride> InForce => _all.GroupBy(o => o.Kind).Select(g => g.Last()).ToList();
}
