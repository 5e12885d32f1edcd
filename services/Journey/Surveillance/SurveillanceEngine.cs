using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Contracts.Imaging;
using PatientJourney.Journey.Exposures;
using PatientJourney.Journey.Catalogue;
using PatientJourney.Journey.Responses;

namespace PatientJourney.Journey.Surveillance;

/// <summary>
/// The surveillance schedule as a pure function of a patient's events in clinical order: the same events
/// give the same schedule whatever order they arrived in.
/// </summary>
public static class SurveillanceEngine
{
    /// <param name="events">The patient's events; only the facts that stand and occurred on or before <paramref name="asOf"/> count.</param>
    public static Schedule Compute(IEnumerable<ClinicalEvent> events, DateOnly asOf)
    {
        var known = ClinicalOrder.Sort(Corrections.Standing(events as IReadOnlyList<ClinicalEvent> ?? events.ToList()).Where(e => e.OccurredOn <= asOf));
        // From the death on nothing is scheduled: later facts are kept in the journey (and flagged) but move nothing.
        var death = Death.Of(known);
        if (death is not null) known = known.Where(e => e.OccurredOn <= death.DiedOn).ToList();
        var plans = known.OfType<SurveillancePlanStarted>().ToList();
        var plan = plans.LastOrDefault();
        var items = new List<ScheduledItem>();
        var endedOn = plan is null ? null : known.OfType<SurveillancePlanEnded>().FirstOrDefault(e => e.EndedOn >= plan.StartsOn)?.EndedOn;

        var overrides = IntervalOverrides.Of(known);
        var suspendImaging = plan is not null && ResponseHistory.Derive(known).Recist
            .Any(r => r.Category == RecistCategory.ProgressiveDisease && r.AssessedOn >= plan.StartsOn);

        // Each plan runs from its start to the next plan's start: a replaced plan keeps what was done under it
        // and loses its open items; the current plan's items start again from its own start date.
        // An end closes the current plan and what was decided before it; a new plan after it reopens surveillance from
        // its own start (an end before the current plan's start ended an earlier one).
        for (var i = 0; i < plans.Count; i++)
        {
            var current = plans[i];
            var replacedOn = i + 1 < plans.Count ? plans[i + 1].StartsOn : (DateOnly?)null;
            if (!SurveillanceProtocols.ById.TryGetValue(current.Protocol, out var protocol)) continue;
            foreach (var kind in protocol.Kinds)
            {
                var performed = PerformedOfKind(known, kind).Where(e => e.OccurredOn >= current.StartsOn && (replacedOn is null || e.OccurredOn < replacedOn)
                    && (replacedOn is not null || endedOn is null || e.OccurredOn <= endedOn)).ToList();
                var kindItems = Repeat(kind, current.StartsOn, performed, anchor => protocol.IntervalMonthsAt(kind, current.StartsOn, anchor),
                    sessions: null, firstDueOn: null, suspendImaging && replacedOn is null, overrides);
                items.AddRange(replacedOn is null ? kindItems.Select(item => item.CompletedOn is null && endedOn is not null ? item with { ClosedOn = endedOn } : item)
                    : kindItems.Where(item => item.CompletedOn is not null));
            }
        }

        foreach (var decision in known.OfType<MultidisciplinaryDecisionRecorded>())
        {
            foreach (var planned in decision.PlannedProcedures)
            {
                var kind = SurveillanceItemKinds.Of(planned.Procedure);
                var performed = PerformedOfKind(known, kind).Where(e => e.OccurredOn >= decision.OccurredOn).ToList();
                var sessions = Repeat(kind, decision.OccurredOn, performed, _ => planned.IntervalMonths, planned.Sessions,
                    planned.FirstOn ?? decision.OccurredOn.AddMonths(planned.IntervalMonths), suspendImaging, overrides: null).ToList();
                // A decision taken before the current plan shows only while it still has sessions to do.
                if (plan is null || decision.OccurredOn >= plan.StartsOn || sessions.Any(s => s.CompletedOn is null))
                    items.AddRange(endedOn is not null && decision.OccurredOn <= endedOn
                        ? sessions.Select(s => s.CompletedOn is null ? s with { ClosedOn = endedOn } : s) : sessions);
            }
        }

        // Exposure rules run beside the plan: the plan's end closes their items only when the patient left the service
        // (declined, transferred, lost); a completed oncology surveillance does not end cardiac follow-up.
        var triggered = ExposureTriggers.Of(known, SurveillanceCatalogue.Current.Rules);
        var leftOn = plan is null ? null : known.OfType<SurveillancePlanEnded>()
            .FirstOrDefault(e => e.EndedOn >= plan.StartsOn && e.Reason != SurveillancePlanEndReason.Completed)?.EndedOn;
        foreach (var (rule, fired) in triggered)
            foreach (var ruleItem in rule.Items)
            {
                var firstDueOn = fired.TriggeredOn.AddMonths(ruleItem.FirstDueMonths);
                // A result within the first item's grace before it counts (an echocardiogram the week before the cycle).
                var from = DateOnlyMin(fired.TriggeredOn, firstDueOn.AddDays(-ItemKinds.GraceDays(ruleItem.Kind)));
                var performed = PerformedOfKind(known, ruleItem.Kind).Where(e => e.OccurredOn >= from).ToList();
                var ruleItems = Repeat(ruleItem.Kind, fired.TriggeredOn, performed,
                    anchor => ruleItem.Repeats ? ruleItem.IntervalMonthsAt(fired.TriggeredOn, anchor) : 0,
                    sessions: ruleItem.Repeats ? null : 1, firstDueOn, suspendImaging: false, ruleItem.Repeats ? overrides : null);
                items.AddRange(ruleItems.Select(item => (item.IsOpen && leftOn is not null ? item with { ClosedOn = leftOn } : item) with { Rule = rule.Id }));
            }

        if (death is not null) items = items.Select(item => item.IsOpen ? item with { ClosedOn = death.DiedOn } : item).ToList();
        items = WithNavigation(items, known);
        return new Schedule(plan?.Protocol, plan?.StartsOn, items.OrderBy(i => i.DueOn).ThenBy(i => i.Kind, StringComparer.Ordinal).ThenBy(i => i.CompletedOn).ToList())
        {
            Rules = triggered.Select(t => t.Triggered).ToList(),
            Overrides = overrides.InForce,
        };
    }

    private static DateOnly DateOnlyMin(DateOnly a, DateOnly b) => a < b ? a : b;

    /// <summary>
    /// Items of one kind: each performed event completes the open item, and the next falls due one interval after
    /// it. A second event within the window of the item just completed (a repeat scan, say) completes nothing new:
    /// it only moves the next due date to one interval after itself.
    /// </summary>
    /// <remarks>
    /// An item's due date is its anchor (the start, or the result before it) plus the interval in force when it was done,
    /// or now while it is open: a navigator's override of the kind made by then (<paramref name="overrides"/>), else the
    /// protocol's or rule's. MDT sessions keep the decision's interval.
    /// </remarks>
    private static IEnumerable<ScheduledItem> Repeat(
        string kind, DateOnly startsOn, IReadOnlyList<ClinicalEvent> performed, Func<DateOnly, int> intervalMonthsAt,
        int? sessions, DateOnly? firstDueOn, bool suspendImaging, IntervalOverrides? overrides)
    {
        DateOnly? anchor = null;
        (DateOnly DueOn, Guid? OverriddenBy) Due(DateOnly? doneOn)
        {
            if (anchor is null && firstDueOn is { } first) return (first, null);
            var from = anchor ?? startsOn;
            var inForce = overrides?.For(kind, doneOn);
            return (from.AddMonths(inForce?.IntervalMonths ?? intervalMonthsAt(from)), inForce?.EventId);
        }

        var produced = 0;
        ScheduledItem? last = null;
        foreach (var done in performed)
        {
            if (last is not null && sessions is null && done.OccurredOn <= last.DueOn.AddDays(ItemKinds.GraceDays(kind)))
            {
                anchor = done.OccurredOn;
                continue;
            }
            if (produced == sessions) yield break;
            var (dueOn, by) = Due(done.OccurredOn);
            last = new ScheduledItem(kind, dueOn, done.OccurredOn, done.EventId, false) { OverriddenBy = by };
            yield return last;
            produced++;
            anchor = done.OccurredOn;
        }
        var suspended = suspendImaging && ItemKinds.IsImaging(kind);
        var (next, overriddenBy) = Due(null);
        if (sessions is null)
        {
            yield return new ScheduledItem(kind, next, null, null, suspended) { OverriddenBy = overriddenBy };
            yield break;
        }
        for (; produced < sessions; produced++)
        {
            yield return new ScheduledItem(kind, next, null, null, suspended);
            next = next.AddMonths(intervalMonthsAt(next));
        }
    }

    /// <summary>
    /// The navigator's latest booking or deferral of a kind, made after the last event that performed the kind (in clinical
    /// order), applies to the first open item of that kind: an earlier one was for an item since done.
    /// </summary>
    private static List<ScheduledItem> WithNavigation(List<ScheduledItem> items, List<ClinicalEvent> known)
    {
        var latest = new Dictionary<string, ClinicalEvent>(StringComparer.Ordinal);
        foreach (var e in known)
        {
            if (JourneyEvents.Of(e).KindPerformed(e) is { } performed) latest.Remove(performed);
            else if (e is AppointmentBooked booked) latest[booked.Kind] = e;
            else if (e is SurveillanceItemDeferred deferred) latest[deferred.Kind] = e;
        }
        if (latest.Count == 0) return items;
        var result = new List<ScheduledItem>(items.Count);
        foreach (var item in items.OrderBy(i => i.DueOn))
        {
            if (item.IsOpen && !item.Suspended && latest.Remove(item.Kind, out var action))
                result.Add(action is AppointmentBooked b ? item with { ScheduledOn = b.ScheduledOn } : item with { DeferredUntil = ((SurveillanceItemDeferred)action).Until });
            else result.Add(item);
        }
        return result;
    }

    /// <summary>The events that perform an item of the kind (the catalogue says which kind each event type performs).</summary>
    private static IEnumerable<ClinicalEvent> PerformedOfKind(IEnumerable<ClinicalEvent> events, string kind) =>
        events.Where(e => JourneyEvents.Of(e).KindPerformed(e) == kind);
}
