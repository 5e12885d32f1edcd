using Microsoft.Extensions.Time.Testing;
using PatientJourney.DepartmentKit.Outbox;

namespace PatientJourney.UnitTests;

// The backlog's clock is a fake one moved by the test: on a busy machine wall-clock time let the journey's
// "behind" mark expire between two steps, and the hold ended for the wrong reason.
public class OutboxBacklogTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(20);
    private readonly FakeTimeProvider _clock = new();

    private OutboxBacklog Backlog(TimeSpan? maxHold = null) => new(maxBacklog: 10, maxHold ?? TimeSpan.FromMinutes(1), _clock);

    /// <summary>The outbox keeps finding the journey behind while time moves on, one recheck at a time.</summary>
    private async Task JourneyStaysBehindAsync(OutboxBacklog backlog, Task held, int steps)
    {
        for (var i = 0; i < steps && !held.IsCompleted; i++)
        {
            backlog.JourneyBehind();
            _clock.Advance(Step);
            await Task.Delay(1); // lets the held request's continuation run and set its next recheck
        }
    }

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
    public void The_journey_counts_as_behind_only_shortly_after_the_outbox_last_found_it_so()
    {
        var backlog = Backlog();
        backlog.Committed(50);
        backlog.JourneyBehind();
        _clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.True(backlog.IsFull);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(backlog.IsFull);
    }

    [Fact]
    public async Task A_request_held_while_the_journey_is_behind_goes_on_once_the_outbox_has_room()
    {
        var backlog = Backlog();
        backlog.Committed(50);
        backlog.JourneyBehind();
        Assert.True(backlog.IsFull);

        var held = backlog.WaitForRoomAsync(CancellationToken.None);
        await JourneyStaysBehindAsync(backlog, held, steps: 50); // a second of the fake clock
        Assert.False(held.IsCompleted);
        Assert.Equal(1, backlog.HeldRequests);

        backlog.Confirmed(45);
        await JourneyStaysBehindAsync(backlog, held, steps: 1_000);
        await held.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(5, backlog.Backlog);
    }

    [Fact]
    public async Task A_held_request_is_taken_anyway_after_the_longest_hold()
    {
        var backlog = Backlog(maxHold: TimeSpan.FromMilliseconds(100));
        backlog.Committed(50);
        backlog.JourneyBehind();
        var held = backlog.WaitForRoomAsync(CancellationToken.None);
        await JourneyStaysBehindAsync(backlog, held, steps: 1_000);
        await held.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(backlog.IsFull);
        Assert.Equal(1, backlog.HeldRequests);
    }
}
