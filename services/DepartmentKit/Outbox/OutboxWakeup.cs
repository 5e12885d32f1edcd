using JasperFx.Events.Daemon.HighWater;
using Marten;
using Marten.Services;
using Microsoft.Extensions.Configuration;
using PatientJourney.StoreAndBus.EventStore;

namespace PatientJourney.DepartmentKit.Outbox;

/// <summary>
/// Wakes the outbox the moment this process commits events, instead of leaving them until the daemon's next poll.
/// Marten's daemon waits between high-water polls on <see cref="IDaemonWakeup"/>; this one returns early when a
/// session that appended events has committed (a Marten listener on every session of the store). The poll stays as
/// the safety net for what no commit here announces (a gap left by a transaction that failed half-way, another
/// instance writing the same store): as often as before while events flow, once a second when quiet (was ten times),
/// so an idle department no longer queries its store 10-20 times a second, and an event no longer waits up to a poll
/// interval before it is forwarded.
/// </summary>
public sealed class OutboxWakeup(OutboxBacklog? backlog = null, TimeSpan gather = default) : DocumentSessionListenerBase, IDaemonWakeup
{
    // At most one wake-up pending: commits during a poll are all covered by the next poll.
    private readonly SemaphoreSlim _committed = new(0, 1);

    /// <summary>
    /// Outbox:GatherMs (default 25): after a commit wakes it, the outbox waits this long before it polls, so that one
    /// page carries the commits of that moment: fewer reads back and fuller messages, for a few ms more latency (measured
    /// in docs/benchmarks-history.md, "the outbox gathers").
    /// </summary>
    public static OutboxWakeup From(IConfiguration configuration, OutboxBacklog backlog) =>
        new(backlog, TimeSpan.FromMilliseconds(Math.Max(0, configuration.GetValue<int?>("Outbox:GatherMs") ?? 25)));

    /// <summary>How long the daemon waits when no commit wakes it, after a poll that found events and after one that did not.</summary>
    public static readonly (TimeSpan Busy, TimeSpan Quiet) Polling = (TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1));

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        var committed = commit.GetEvents().ToList();
        if (committed.Count > 0) Committed(committed.Max(e => e.Sequence));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Events up to this sequence number were committed here: what a writer that appends outside Marten's event API
    /// (<see cref="ClinicalAppends"/>) announces itself, as this listener does for Marten's appends.
    /// </summary>
    public void Committed(long sequence)
    {
        backlog?.Committed(sequence);
        Pulse();
    }

    public void Pulse()
    {
        try
        {
            _committed.Release();
        }
        catch (SemaphoreFullException)
        {
            // a wake-up is already pending
        }
    }

    /// <summary>Waits until a commit announces events or <paramref name="delay"/> has passed; true when a commit woke it.</summary>
    public Task<bool> WaitAsync(TimeSpan delay, CancellationToken cancellationToken) => _committed.WaitAsync(delay, cancellationToken);

    // Woken by a commit, the daemon still waits `gather` before its poll: the commits of that moment share one page.
    async Task IDaemonWakeup.WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (await WaitAsync(delay, cancellationToken) && gather > TimeSpan.Zero) await Task.Delay(gather, cancellationToken);
    }

    // The daemon may dispose its wake-up when it stops and use it again after a restart; there is nothing to release.
    public void Dispose() { }
}
