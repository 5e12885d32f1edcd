using Marten;
using PatientJourney.Contracts;
using PatientJourney.Journey.Surveillance;

namespace PatientJourney.Journey.Projections;

/// <summary>
/// One open surveillance item of one patient: the worklist's index. Status is a range test on day numbers
/// (due from DueFromDay to DueUntilDay), so a worklist as of any day is an indexed query, not a scan of streams.
/// Valid for any day on or after ValidFromDay (the patient's latest clinical event).
/// </summary>
public sealed record WorklistEntry
{
    public required string Id { get; init; }
    public required string PatientId { get; init; }
    public string? DisplayName { get; init; }
    public required string Kind { get; init; }
    public required DateOnly DueOn { get; init; }
    public required int DueOnDay { get; init; }
    public required int DueFromDay { get; init; }
    public required int DueUntilDay { get; init; }
    public required bool Suspended { get; init; }
    public required int ValidFromDay { get; init; }

    public static IEnumerable<WorklistEntry> For(PatientJourneyView view) => view.Schedule.Items
        .Where(i => i.CompletedOn is null)
        .Select((item, n) =>
        {
            var grace = ItemKinds.GraceDays(item.Kind);
            return new WorklistEntry
            {
                Id = $"{view.Id}/{n}",
                PatientId = view.Id,
                DisplayName = view.DisplayName,
                Kind = item.Kind,
                DueOn = item.DueOn,
                DueOnDay = item.DueOn.DayNumber,
                DueFromDay = item.DueOn.AddDays(-grace).DayNumber,
                DueUntilDay = item.DueOn.AddDays(grace).DayNumber,
                Suspended = item.Suspended,
                ValidFromDay = view.LatestOccurredOn.DayNumber,
            };
        });
}

public static class PatientReadModels
{
    public static void Configure(StoreOptions opts)
    {
        opts.Schema.For<PatientJourneyView>().Duplicate(v => v.LatestOccurredOnDay);
        opts.Schema.For<WorklistEntry>()
            .Duplicate(e => e.PatientId)
            // The counts per status are kept (WorklistCounts), so this index serves the pages only: no covering columns.
            .Duplicate(e => e.DueOnDay)
            .Duplicate(e => e.DueFromDay)
            .Duplicate(e => e.DueUntilDay)
            .Duplicate(e => e.ValidFromDay)
            .Duplicate(e => e.Suspended);
        opts.Schema.For<Audit.ChainLink>().Duplicate(l => l.PatientId);
    }

    /// <summary>Replaces everything read from one patient's stream: the view and the patient's worklist rows.</summary>
    public static PatientJourneyView Write(IDocumentSession session, string patientId, IEnumerable<ClinicalEvent> stream, long version)
    {
        var view = JourneyProjection.Project(patientId, stream, version);
        var entries = WorklistEntry.For(view).ToList();
        // Rows stored over in place, only those past the new end deleted: most of a patient's items keep their
        // status key (due window, suspended) from one event to the next, and then their kept counts are not touched.
        var ids = entries.Select(e => e.Id).ToList();
        session.DeleteWhere<WorklistEntry>(e => e.PatientId == patientId && !ids.Contains(e.Id));
        session.Store(view);
        foreach (var entry in entries) session.Store(entry);
        return view;
    }
}
