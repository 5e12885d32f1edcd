using PatientJourney.Journey.PatientJourneys;

namespace PatientJourney.Journey.Worklist;

/// <summary>
/// One open surveillance item of one patient: the worklist's index. Status is a range test on day numbers
/// (due from DueFromDay to DueUntilDay), so a worklist as of any day is an indexed query, not a scan of streams.
/// Valid for any day on or after ValidFromDay (the patient's latest clinical event). A booked item is booked until
/// DueUntilDay (the appointment's day plus the grace), missed after; a deferred one is deferred before DueFromDay, then
/// due and overdue as any other; DueOnDay is the day the item falls due (an appointment or a later deferral moves it),
/// DueOn the schedule's. Closed and done items have no row.
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
    public bool Booked { get; init; }
    public bool Deferred { get; init; }
    public DateOnly? ScheduledOn { get; init; }
    public DateOnly? DeferredUntil { get; init; }
    public string? Navigator { get; init; }
    public required int ValidFromDay { get; init; }

    public static string IdOf(string patientId, int n) => $"{patientId}/{n}";

    public static IEnumerable<WorklistEntry> For(PatientJourneyView view) => view.Schedule.Items
        .Where(i => i.IsOpen)
        .Select((item, n) =>
        {
            var (from, until) = item.Window;
            return new WorklistEntry
            {
                Id = IdOf(view.Id, n),
                PatientId = view.Id,
                DisplayName = view.DisplayName,
                Kind = item.Kind,
                DueOn = item.DueOn,
                DueOnDay = item.FallsDueOn.DayNumber,
                DueFromDay = from.DayNumber,
                DueUntilDay = until.DayNumber,
                Suspended = item.Suspended,
                Booked = !item.Suspended && item.ScheduledOn is not null,
                Deferred = !item.Suspended && item.DeferredUntil is not null,
                ScheduledOn = item.ScheduledOn,
                DeferredUntil = item.DeferredUntil,
                Navigator = view.Navigator,
                ValidFromDay = view.LatestOccurredOn.DayNumber,
            };
        });
}
