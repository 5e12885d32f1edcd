using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Journey.Catalogue;

namespace PatientJourney.Journey.Surveillance;

/// <summary>
/// A scheduled item, independent of the day it is looked at. An open item may carry the navigator's latest action on it:
/// an appointment (<see cref="ScheduledOn"/>) or a deferral (<see cref="DeferredUntil"/>); <see cref="ClosedOn"/> is
/// set when the plan ended or the patient died while it was open.
/// </summary>
public sealed record ScheduledItem(string Kind, DateOnly DueOn, DateOnly? CompletedOn, Guid? CompletedByEventId, bool Suspended)
{
    /// <summary>The exposure rule that opened the item; null for a protocol's or an MDT decision's.</summary>
    public string? Rule { get; init; }
    /// <summary>The navigator's override whose interval set <see cref="DueOn"/>, when one did.</summary>
    public Guid? OverriddenBy { get; init; }
    public DateOnly? ScheduledOn { get; init; }
    public DateOnly? DeferredUntil { get; init; }
    public DateOnly? ClosedOn { get; init; }

    public bool IsOpen => CompletedOn is null && ClosedOn is null;

    /// <summary>
    /// The window in which the item is due, as day bounds: dueOn plus or minus the grace; a deferral moves it to start at
    /// its date (and to end no earlier than its date plus the grace); an appointment to the scheduled day.
    /// </summary>
    public (DateOnly From, DateOnly Until) Window
    {
        get
        {
            var grace = ItemKinds.GraceDays(Kind);
            if (ScheduledOn is { } on) return (on.AddDays(-grace), on.AddDays(grace));
            if (DeferredUntil is not { } until) return (DueOn.AddDays(-grace), DueOn.AddDays(grace));
            var fallsDueOn = until > DueOn ? until : DueOn;
            var from = fallsDueOn.AddDays(-grace);
            return (until > from ? until : from, fallsDueOn.AddDays(grace));
        }
    }

    /// <summary>The day an open item falls due: its dueOn, or the deferral's date when later, or the appointment's.</summary>
    public DateOnly FallsDueOn => ScheduledOn ?? (DeferredUntil is { } until && until > DueOn ? until : DueOn);

    /// <summary>
    /// Contract: open items are due from grace days before dueOn to grace days after, overdue later, upcoming earlier;
    /// booked until the appointment's day plus the grace, missed after; deferred before the deferral's date.
    /// </summary>
    public string StatusOn(DateOnly asOf)
    {
        if (CompletedOn is not null) return ItemStatus.Done;
        if (ClosedOn is not null) return ItemStatus.Closed;
        if (Suspended) return ItemStatus.Suspended;
        var (from, until) = Window;
        if (ScheduledOn is not null) return asOf <= until ? ItemStatus.Booked : ItemStatus.Missed;
        if (asOf < from) return DeferredUntil is null ? ItemStatus.Upcoming : ItemStatus.Deferred;
        return asOf <= until ? ItemStatus.Due : ItemStatus.Overdue;
    }
}

public static class ItemStatus
{
    public const string Done = "done";
    public const string Overdue = "overdue";
    public const string Missed = "missed";
    public const string Due = "due";
    public const string Booked = "booked";
    public const string Upcoming = "upcoming";
    public const string Deferred = "deferred";
    public const string Suspended = "suspended";
    public const string Closed = "closed";

    public static readonly IReadOnlyList<string> All = [Overdue, Missed, Due, Booked, Upcoming, Deferred, Suspended, Done, Closed];

    /// <summary>The statuses of open items, most urgent first: what the worklist lists.</summary>
    public static readonly IReadOnlyList<string> Open = [Overdue, Missed, Due, Booked, Upcoming, Deferred, Suspended];

    /// <summary>Worklist order: what needs acting on first.</summary>
    public static int Urgency(string status) => status switch
    {
        Overdue => 0, Missed => 1, Due => 2, Booked => 3, Upcoming => 4, Deferred => 5, Suspended => 6, _ => 7,
    };
}

/// <summary>
/// The patient's death as the journey takes it: the first PatientDied; without one, the first CTCAE grade 5 adverse event
/// (CTCAE v5: grade 5 is death related to the adverse event), on its date.
/// </summary>
public sealed record Death(DateOnly DiedOn, ClinicalEvent Source)
{
    public const int CtcaeDeathGrade = 5;

    public bool FromAdverseEvent => Source is not PatientDied;

    /// <param name="events">In clinical order.</param>
    public static Death? Of(IReadOnlyList<ClinicalEvent> events) =>
        events.OfType<PatientDied>().FirstOrDefault() is { } died ? new Death(died.DiedOn, died)
        : events.FirstOrDefault(e => JourneyEvents.Of(e).GradedTerms(e).Any(t => t.Grade >= CtcaeDeathGrade)) is { } fatal ? new Death(fatal.OccurredOn, fatal)
        : null;
}

public sealed record Schedule(string? Protocol, DateOnly? StartsOn, IReadOnlyList<ScheduledItem> Items)
{
    /// <summary>The exposure rules the patient's facts triggered.</summary>
    public IReadOnlyList<TriggeredRule> Rules { get; init; } = [];
    /// <summary>The navigator's overrides in force, one a kind (the latest).</summary>
    public IReadOnlyList<IntervalOverride> Overrides { get; init; } = [];

    public static readonly Schedule Empty = new(null, null, []);
}
