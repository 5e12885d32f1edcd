using PatientJourney.Journey.Catalogue;
using PatientJourney.Journey.PatientJourneys;

namespace PatientJourney.Journey.Worklist;

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

    public static string IdOf(string patientId, int n) => $"{patientId}/{n}";

    public static IEnumerable<WorklistEntry> For(PatientJourneyView view) => view.Schedule.Items
        .Where(i => i.CompletedOn is null)
        .Select((item, n) =>
        {
            var grace = ItemKinds.GraceDays(item.Kind);
            return new WorklistEntry
            {
                Id = IdOf(view.Id, n),
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
