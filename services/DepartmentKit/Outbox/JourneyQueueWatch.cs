using Microsoft.Extensions.Configuration;
using PatientJourney.StoreAndBus.Messaging;

namespace PatientJourney.DepartmentKit.Outbox;

/// <summary>
/// How far behind the journey is, as its queue tells (a passive declare: messages ready, consumers), asked by a
/// department's outbox beside each publish. Behind means a journey is consuming and more than
/// <see cref="MaxReady"/> messages wait beyond those it has in hand. A journey that is away is never "behind": the
/// queue keeps what the outbox sends, as it always did. Any failure to ask counts as not behind, so that publishing
/// fails or succeeds on its own. A passive declare needs no permission the department lacks.
/// </summary>
public sealed class JourneyQueueWatch(RabbitMqSettings connection, int maxReady, string queue = BrokerAccounts.JourneyQueue) : IAsyncDisposable
{
    // Asked at most this often: a page every few milliseconds at saturation needs no round trip each.
    private static readonly TimeSpan Freshness = TimeSpan.FromMilliseconds(10);

    private readonly SemaphoreSlim _asking = new(1, 1);
    private readonly QueueDepth _queue = new(connection, queue, "outbox journey-queue watch");
    // One reference, swapped whole: read without the lock.
    private sealed record Answer(bool Behind, long At);
    private volatile Answer _last = new(false, 0);

    /// <summary>Messages that may wait in the journey's queue beyond those it has in hand (Outbox:JourneyMaxReady, default 20 batches).</summary>
    public int MaxReady { get; } = maxReady;

    public static JourneyQueueWatch From(RabbitMqSettings connection, IConfiguration configuration) =>
        new(connection, configuration.GetValue<int?>("Outbox:JourneyMaxReady") ?? 20);

    public async Task<bool> IsBehindAsync(CancellationToken ct)
    {
        if (_last is var fresh && TimeProvider.System.GetElapsedTime(fresh.At) < Freshness) return fresh.Behind;
        await _asking.WaitAsync(ct);
        try
        {
            if (_last is var asked && TimeProvider.System.GetElapsedTime(asked.At) < Freshness) return asked.Behind;
            var behind = false;
            try
            {
                var state = await _queue.AskAsync(ct);
                behind = state.ConsumerCount > 0 && state.MessageCount > MaxReady;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // No queue yet (the channel is closed by the 404), no broker: not behind; the next ask opens anew.
            }
            _last = new Answer(behind, TimeProvider.System.GetTimestamp());
            return behind;
        }
        finally
        {
            _asking.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _queue.DisposeAsync();
        _asking.Dispose();
    }
}
