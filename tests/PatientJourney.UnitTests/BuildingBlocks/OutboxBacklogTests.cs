using PatientJourney.BuildingBlocks.EventStore;

namespace PatientJourney.UnitTests;

public class OutboxBacklogTests
{
    private static OutboxBacklog Backlog() => new(maxBacklog: 10, maxHold: TimeSpan.FromMinutes(1), TimeProvider.System);

    [Fact]
    public void A_request_is_not_held_while_the_backlog_is_within_its_bound()
    {
        var backlog = Backlog();
        backlog.Committed(10);
        backlog.JourneyBehind();
        Assert.False(backlog.IsFull);
        Assert.True(backlog.WaitForRoomAsync(CancellationToken.None).IsCompletedSuccessfully);
        Assert.Equal(0, backlog.HeldRequests);
    }

    [Fact]
    public void A_backlog_the_journey_did_not_cause_holds_nothing()
    {
        // The broker or the journey is away: the outbox keeps what the door takes, as it always did.
        var backlog = Backlog();
        backlog.Committed(500);
        Assert.Equal(500, backlog.Backlog);
        Assert.False(backlog.IsFull);
        Assert.True(backlog.WaitForRoomAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_request_held_while_the_journey_is_behind_goes_on_once_the_outbox_has_room()
    {
        var backlog = Backlog();
        backlog.Committed(50);
        backlog.JourneyBehind();
        Assert.True(backlog.IsFull);

        // The outbox keeps finding the journey behind, as it does while it waits.
        using var stop = new CancellationTokenSource();
        var outbox = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested) { backlog.JourneyBehind(); await Task.Delay(10); }
        });
        var held = backlog.WaitForRoomAsync(CancellationToken.None);
        await Task.Delay(100);
        Assert.False(held.IsCompleted);
        Assert.Equal(1, backlog.HeldRequests);

        backlog.Confirmed(45);
        await held.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await outbox;
        Assert.Equal(5, backlog.Backlog);
    }

    [Fact]
    public async Task A_held_request_is_taken_anyway_after_the_longest_hold()
    {
        var backlog = new OutboxBacklog(maxBacklog: 10, maxHold: TimeSpan.FromMilliseconds(50), TimeProvider.System);
        backlog.Committed(50);
        backlog.JourneyBehind();
        await backlog.WaitForRoomAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(backlog.IsFull);
    }
}
