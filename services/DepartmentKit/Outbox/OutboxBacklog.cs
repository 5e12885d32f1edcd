using Microsoft.Extensions.Configuration;

namespace PatientJourney.DepartmentKit.Outbox;

/// <summary>
/// Backpressure from the journey to a department's door. While the journey is consuming but behind (its queue past a
/// bound, <see cref="JourneyQueueWatch"/>) the outbox waits after each page, its backlog (events committed here,
/// not yet confirmed by the broker) grows, and past <see cref="MaxBacklog"/> a new request is held before it is read,
/// until the outbox has room again or <see cref="MaxHold"/> has passed. Then it is taken anyway: a department never
/// refuses a clinical fact because the journey is behind, it only slows down. A journey or a broker that is away
/// holds nothing: that is what the outbox and the queue are for.
/// Why: with a door that outruns the journey on shared cores, an overnight burst took the cores from the journey
/// and piled up in the broker (measured in docs/benchmarks-history.md); held at the door, the journey keeps up and the burst arrives in
/// the journey as fast as the machine can carry it.
/// </summary>
public sealed class OutboxBacklog(long maxBacklog, TimeSpan maxHold, TimeProvider clock)
{
    /// <summary>How long after the outbox last found the journey behind it still counts as held.</summary>
    private static readonly TimeSpan BehindMemory = TimeSpan.FromMilliseconds(500);
    // A held request looks again this often: the outbox's pages are confirmed every few tens of milliseconds.
    private static readonly TimeSpan Recheck = TimeSpan.FromMilliseconds(20);

    private long _committed;
    private long _confirmed;
    private long _behindAt; // a timestamp of the clock; 0 until the journey is first found behind
    private long _heldRequests;

    public long MaxBacklog { get; } = maxBacklog;
    public TimeSpan MaxHold { get; } = maxHold;

    /// <summary>Outbox:MaxBacklog (events, default 1,000) and Outbox:MaxHoldMs (default 2,000).</summary>
    public static OutboxBacklog From(IConfiguration configuration) => new(
        configuration.GetValue<long?>("Outbox:MaxBacklog") ?? 1_000,
        TimeSpan.FromMilliseconds(configuration.GetValue<int?>("Outbox:MaxHoldMs") ?? 2_000),
        TimeProvider.System);

    /// <summary>Events committed here and not yet confirmed by the broker (0 until this process has committed one).</summary>
    public long Backlog => Math.Max(0, Interlocked.Read(ref _committed) - Interlocked.Read(ref _confirmed));

    /// <summary>The sequence number through which this instance's outbox has had the broker confirm (0: it has not forwarded).</summary>
    public long ConfirmedThrough => Interlocked.Read(ref _confirmed);

    /// <summary>Requests held so far because the journey was behind.</summary>
    public long HeldRequests => Interlocked.Read(ref _heldRequests);

    /// <summary>True while the outbox waits for the journey and its backlog is past its bound.</summary>
    public bool IsFull => Backlog > MaxBacklog && Interlocked.Read(ref _behindAt) is var at && at != 0 && clock.GetElapsedTime(at) < BehindMemory;

    /// <summary>A commit here stored events up to this sequence number.</summary>
    public void Committed(long sequence) => RaiseTo(ref _committed, sequence);

    /// <summary>The broker confirmed every event up to this sequence number.</summary>
    public void Confirmed(long sequence) => RaiseTo(ref _confirmed, sequence);

    /// <summary>The outbox found the journey behind and waits.</summary>
    public void JourneyBehind() => Interlocked.Exchange(ref _behindAt, clock.GetTimestamp());

    /// <summary>Waits while the outbox is full, at most <see cref="MaxHold"/>; returns at once when it is not.</summary>
    public async Task WaitForRoomAsync(CancellationToken ct)
    {
        if (!IsFull) return;
        Interlocked.Increment(ref _heldRequests);
        var started = clock.GetTimestamp();
        while (IsFull && clock.GetElapsedTime(started) < MaxHold) await Task.Delay(Recheck, clock, ct);
    }

    private static void RaiseTo(ref long field, long value)
    {
        for (var current = Interlocked.Read(ref field); value > current; current = Interlocked.Read(ref field))
            if (Interlocked.CompareExchange(ref field, value, current) == current) return;
    }
}
