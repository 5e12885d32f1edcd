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
            // Covering: counting every open item of a status (X-Status-Counts) is then an index-only scan, not a heap
            // visit per row (190 ms -> see docs/benchmarks.md at 100,000 patients).
            .Duplicate(e => e.DueOnDay, configure: index => index.IncludeColumns = ["valid_from_day", "suspended", "due_from_day", "due_until_day"])
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
        session.DeleteWhere<WorklistEntry>(e => e.PatientId == patientId);
        session.Store(view);
        foreach (var entry in WorklistEntry.For(view)) session.Store(entry);
        return view;
    }
}
