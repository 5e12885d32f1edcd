using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Contracts.Imaging;
using PatientJourney.Journey.Catalogue;
using PatientJourney.Journey.Responses;

namespace PatientJourney.Journey.Surveillance;

/// <summary>A scheduled item, independent of the day it is looked at.</summary>
public sealed record ScheduledItem(string Kind, DateOnly DueOn, DateOnly? CompletedOn, Guid? CompletedByEventId, bool Suspended)
{
    /// <summary>Contract: open items are due from grace days before dueOn to grace days after, overdue later, upcoming earlier.</summary>
    public string StatusOn(DateOnly asOf)
    {
        if (CompletedOn is not null) return ItemStatus.Done;
        if (Suspended) return ItemStatus.Suspended;
        var grace = ItemKinds.GraceDays(Kind);
        if (asOf < DueOn.AddDays(-grace)) return ItemStatus.Upcoming;
        return asOf <= DueOn.AddDays(grace) ? ItemStatus.Due : ItemStatus.Overdue;
    }
}

public static class ItemStatus
{
    public const string Done = "done";
    public const string Overdue = "overdue";
    public const string Due = "due";
    public const string Upcoming = "upcoming";
    public const string Suspended = "suspended";

    public static readonly IReadOnlyList<string> All = [Overdue, Due, Upcoming, Suspended, Done];

    /// <summary>Worklist order: what needs acting on first.</summary>
    public static int Urgency(string status) => status switch { Overdue => 0, Due => 1, Upcoming => 2, Suspended => 3, _ => 4 };
}

public sealed record Schedule(string? Protocol, DateOnly? StartsOn, IReadOnlyList<ScheduledItem> Items)
{
    public static readonly Schedule Empty = new(null, null, []);
}

/// <summary>
/// The surveillance schedule as a pure function of a patient's events in clinical order: the same events
/// give the same schedule whatever order they arrived in.
/// </summary>
public static class SurveillanceEngine
{
    /// <param name="events">The patient's events; only those that occurred on or before <paramref name="asOf"/> count.</param>
    public static Schedule Compute(IEnumerable<ClinicalEvent> events, DateOnly asOf)
    {
        var known = ClinicalOrder.Sort(events.Where(e => e.OccurredOn <= asOf));
        var plans = known.OfType<SurveillancePlanStarted>().ToList();
        var plan = plans.LastOrDefault();
        var items = new List<ScheduledItem>();

        var suspendImaging = plan is not null && ResponseHistory.Derive(known).Recist
            .Any(r => r.Category == RecistCategory.ProgressiveDisease && r.AssessedOn >= plan.StartsOn);

        // Each plan runs from its start to the next plan's start: a replaced plan keeps what was done under it
        // and loses its open items; the current plan's items start again from its own start date.
        for (var i = 0; i < plans.Count; i++)
        {
            var current = plans[i];
            var replacedOn = i + 1 < plans.Count ? plans[i + 1].StartsOn : (DateOnly?)null;
            if (!SurveillanceProtocols.ById.TryGetValue(current.Protocol, out var protocol)) continue;
            foreach (var kind in protocol.Kinds)
            {
                var performed = PerformedOfKind(known, kind).Where(e => e.OccurredOn >= current.StartsOn && (replacedOn is null || e.OccurredOn < replacedOn)).ToList();
                var kindItems = Repeat(kind, current.StartsOn, performed, anchor => protocol.IntervalMonthsAt(kind, current.StartsOn, anchor),
                    sessions: null, firstDueOn: null, suspendImaging && replacedOn is null);
                items.AddRange(replacedOn is null ? kindItems : kindItems.Where(item => item.CompletedOn is not null));
            }
        }

        foreach (var decision in known.OfType<MultidisciplinaryDecisionRecorded>())
        {
            foreach (var planned in decision.PlannedProcedures)
            {
                var kind = KindOf(planned.Procedure);
                var performed = PerformedOfKind(known, kind).Where(e => e.OccurredOn >= decision.OccurredOn).ToList();
                var sessions = Repeat(kind, decision.OccurredOn, performed, _ => planned.IntervalMonths, planned.Sessions,
                    planned.FirstOn ?? decision.OccurredOn.AddMonths(planned.IntervalMonths), suspendImaging).ToList();
                // A decision taken before the current plan shows only while it still has sessions to do.
                if (plan is null || decision.OccurredOn >= plan.StartsOn || sessions.Any(s => s.CompletedOn is null))
                    items.AddRange(sessions);
            }
        }

        return new Schedule(plan?.Protocol, plan?.StartsOn, items.OrderBy(i => i.DueOn).ThenBy(i => i.Kind, StringComparer.Ordinal).ThenBy(i => i.CompletedOn).ToList());
    }

    /// <summary>
    /// Items of one kind: each performed event completes the open item, and the next falls due one interval after
    /// it. A second event within the window of the item just completed (a repeat scan, say) completes nothing new:
    /// it only moves the next due date to one interval after itself.
    /// </summary>
    private static IEnumerable<ScheduledItem> Repeat(
        string kind, DateOnly startsOn, IReadOnlyList<ClinicalEvent> performed, Func<DateOnly, int> intervalMonthsAt,
        int? sessions, DateOnly? firstDueOn, bool suspendImaging)
    {
        var dueOn = firstDueOn ?? startsOn.AddMonths(intervalMonthsAt(startsOn));
        var produced = 0;
        ScheduledItem? last = null;
        foreach (var done in performed)
        {
            if (last is not null && sessions is null && done.OccurredOn <= last.DueOn.AddDays(ItemKinds.GraceDays(kind)))
            {
                dueOn = done.OccurredOn.AddMonths(intervalMonthsAt(done.OccurredOn));
                continue;
            }
            if (produced == sessions) yield break;
            last = new ScheduledItem(kind, dueOn, done.OccurredOn, done.EventId, false);
            yield return last;
            produced++;
            dueOn = done.OccurredOn.AddMonths(intervalMonthsAt(done.OccurredOn));
        }
        var suspended = suspendImaging && ItemKinds.IsImaging(kind);
        if (sessions is null)
        {
            yield return new ScheduledItem(kind, dueOn, null, null, suspended);
            yield break;
        }
        for (; produced < sessions; produced++)
        {
            yield return new ScheduledItem(kind, dueOn, null, null, suspended);
            dueOn = dueOn.AddMonths(intervalMonthsAt(dueOn));
        }
    }

    /// <summary>The events that perform an item of the kind (the catalogue says which kind each event type performs).</summary>
    private static IEnumerable<ClinicalEvent> PerformedOfKind(IEnumerable<ClinicalEvent> events, string kind) =>
        events.Where(e => JourneyEvents.Of(e).Performs == kind);

    private static string KindOf(ProcedureKind procedure) => procedure switch
    {
        ProcedureKind.Tace => ItemKinds.Tace,
        ProcedureKind.Rfa => ItemKinds.Rfa,
        ProcedureKind.Ct => ItemKinds.Ct,
        ProcedureKind.PetCt => ItemKinds.PetCt,
        _ => throw new ArgumentOutOfRangeException(nameof(procedure), procedure, null),
    };
}
