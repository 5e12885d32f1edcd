using System.Collections.Concurrent;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using PatientJourney.Journey.Store;

namespace PatientJourney.Journey.Changes;

/// <summary>A patient's journey changed: the version its stream reached.</summary>
public sealed record JourneyChanged(string PatientId, long Version);

/// <summary>
/// Tells the pages open on this instance that a patient's journey changed, whichever instance recorded it: told by the
/// <see cref="JourneyChangeListener"/>, which hears every instance's commits from PostgreSQL.
/// </summary>
public sealed class JourneyChanges
{
    private readonly ConcurrentDictionary<Channel<JourneyChanged>, string> _watchers = new();

    public void Recorded(string patientId, long version)
    {
        foreach (var (channel, watched) in _watchers)
            if (watched == patientId) channel.Writer.TryWrite(new JourneyChanged(patientId, version));
    }

    /// <summary>Every page refreshes: changes may have been missed (the notices' connection was lost meanwhile).</summary>
    public void RecordedAll()
    {
        foreach (var (channel, watched) in _watchers) channel.Writer.TryWrite(new JourneyChanged(watched, -1));
    }

    /// <summary>Server-sent events for one patient until the caller goes away, with a comment-free heartbeat every 15 s.</summary>
    /// <param name="until">When the watcher's token expires: the stream then sends "expired" and ends, so that a stream
    /// opened with a token never outlives it.</param>
    public async IAsyncEnumerable<SseItem<JourneyChanged>> WatchAsync(string patientId, [EnumeratorCancellation] CancellationToken ct, DateTimeOffset? until = null)
    {
        var channel = Channel.CreateBounded<JourneyChanged>(new BoundedChannelOptions(16) { FullMode = BoundedChannelFullMode.DropOldest });
        _watchers[channel] = patientId;
        try
        {
            yield return new SseItem<JourneyChanged>(new JourneyChanged(patientId, 0), "watching");
            while (!ct.IsCancellationRequested)
            {
                var wait = TimeSpan.FromSeconds(15);
                var expiring = false;
                if (until is { } end && end - DateTimeOffset.UtcNow is var left && left < wait)
                {
                    if (left <= TimeSpan.Zero)
                    {
                        yield return new SseItem<JourneyChanged>(new JourneyChanged(patientId, -1), "expired");
                        yield break;
                    }
                    (wait, expiring) = (left, true);
                }
                JourneyChanged? change = null;
                using (var heartbeat = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    heartbeat.CancelAfter(wait);
                    try
                    {
                        change = await channel.Reader.ReadAsync(heartbeat.Token);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
                }
                if (ct.IsCancellationRequested) yield break;
                if (change is null && expiring) continue; // woken for the expiry, not for a heartbeat
                yield return change is null
                    ? new SseItem<JourneyChanged>(new JourneyChanged(patientId, -1), "heartbeat")
                    : new SseItem<JourneyChanged>(change, "recorded");
            }
        }
        finally
        {
            _watchers.TryRemove(channel, out _);
        }
    }
}
