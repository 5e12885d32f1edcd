using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using PatientJourney.Hosting.Telemetry;

namespace PatientJourney.StoreAndBus.EventStore;

/// <summary>One caller's write waiting in a <see cref="GroupCommit{TItem,TResult}"/>, and where its outcome goes.</summary>
public sealed class PendingWrite<TItem, TResult>(TItem item)
{
    public TItem Item { get; } = item;
    /// <summary>When the write was queued (<see cref="System.Diagnostics.Stopwatch"/> ticks), to tell queueing from writing.</summary>
    public long QueuedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();
    public TaskCompletionSource<TResult> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>The caller's span (its request, its consume), when traced.</summary>
    public ActivityContext Caller { get; } = Activity.Current?.Context ?? default;
    /// <summary>
    /// Where this write's trace goes on from: the batch's span for the callers of the trace it is parented by, the
    /// caller's own span for the others (linked from the batch's); what a stored event keeps for its publish.
    /// </summary>
    public ActivityContext Trace { get; internal set; }
    public bool IsDone => Outcome.Task.IsCompleted;
}

/// <summary>
/// Group commit: many callers' writes in one transaction. Each caller queues its write and awaits its own outcome; a
/// writer takes whatever is waiting (up to <c>maxBatch</c>) and hands it to <c>writeBatch</c>, which commits it in one
/// transaction and sets each outcome. Nothing waits to fill a batch: an idle service writes a lone request at once, a
/// busy one writes hundreds per round trip and per fsync instead of one.
/// </summary>
public sealed partial class GroupCommit<TItem, TResult> : IAsyncDisposable
{
    private readonly Channel<PendingWrite<TItem, TResult>>[] _queues;
    private readonly Func<IReadOnlyList<PendingWrite<TItem, TResult>>, CancellationToken, Task> _writeBatch;
    private readonly Func<TItem, string> _partitionKey;
    private readonly int _maxBatch;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task[] _writers;
    private readonly ILogger? _logger;
    private readonly string _spanName;

    /// <param name="partitionKey">The stream an item writes to: one stream's items always go to the same writer, so two
    /// writers never wait on each other's stream locks.</param>
    /// <param name="writers">Batches in flight at once: one can be deciding while another commits.</param>
    /// <param name="logger">Told when a batch fails and its writes are tried one by one (the exception's type only: its
    /// message may name a patient).</param>
    /// <param name="spanName">The name of each batch's span (PatientJourneyTelemetry.StartBatch).</param>
    public GroupCommit(Func<IReadOnlyList<PendingWrite<TItem, TResult>>, CancellationToken, Task> writeBatch, Func<TItem, string> partitionKey,
        int maxBatch = 256, int writers = 2, ILogger? logger = null, string spanName = "group commit")
    {
        _spanName = spanName;
        // A setting of 0 would leave no writer to take anything: every caller would wait for ever (or divide by zero).
        ArgumentOutOfRangeException.ThrowIfLessThan(writers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        _logger = logger;
        _writeBatch = writeBatch;
        _partitionKey = partitionKey;
        _maxBatch = maxBatch;
        _queues = Enumerable.Range(0, writers).Select(_ => Channel.CreateUnbounded<PendingWrite<TItem, TResult>>(new UnboundedChannelOptions { SingleReader = true })).ToArray();
        _writers = _queues.Select(queue => Task.Run(() => WriteAsync(queue.Reader))).ToArray();
    }

    public async Task<TResult> SubmitAsync(TItem item, CancellationToken ct)
    {
        var pending = new PendingWrite<TItem, TResult>(item);
        var queue = _queues[(int)((uint)string.GetHashCode(_partitionKey(item), StringComparison.Ordinal) % (uint)_queues.Length)];
        await queue.Writer.WriteAsync(pending, ct);
        // The write is not withdrawn when the caller gives up: like a request cut off during its commit, it may still land.
        return await pending.Outcome.Task.WaitAsync(ct);
    }

    private async Task WriteAsync(ChannelReader<PendingWrite<TItem, TResult>> queue)
    {
        var batch = new List<PendingWrite<TItem, TResult>>(_maxBatch);
        // The writer's loop serves every caller: no span current where it was started may parent its batches.
        Activity.Current = null;
        try
        {
            while (await queue.WaitToReadAsync(_stopping.Token))
            {
                batch.Clear();
                while (batch.Count < _maxBatch && queue.TryRead(out var pending)) batch.Add(pending);
                if (batch.Count == 0) continue;
                try
                {
                    await WriteTracedAsync(batch);
                }
                catch (Exception ex) when (batch.Count > 1 && !_stopping.IsCancellationRequested)
                {
                    // The transaction did not commit (a batch writer answers its writes as soon as it has committed, so a
                    // write that landed is done). One bad write must not sink the others (they would be retried
                    // together and fail together again): each write still waiting is tried alone.
                    if (_logger is not null) LogBatchFailed(_logger, batch.Count(p => !p.IsDone), batch.Count, ex.GetType().Name);
                    foreach (var pending in batch.Where(p => !p.IsDone).ToList())
                        await WriteAloneAsync(pending);
                }
                catch (Exception ex)
                {
                    foreach (var pending in batch) pending.Outcome.TrySetException(ex);
                }
                foreach (var pending in batch)
                    pending.Outcome.TrySetException(new InvalidOperationException("the batch writer set no outcome for this write"));
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested) { }
    }

    private async Task WriteAloneAsync(PendingWrite<TItem, TResult> pending)
    {
        try
        {
            await WriteTracedAsync([pending]);
        }
        catch (Exception ex)
        {
            pending.Outcome.TrySetException(ex);
        }
    }

    private async Task WriteTracedAsync(IReadOnlyList<PendingWrite<TItem, TResult>> batch)
    {
        using var span = PatientJourneyTelemetry.StartBatch(_spanName, ActivityKind.Internal, batch.Select(p => p.Caller));
        if (span is null)
        {
            await _writeBatch(batch, _stopping.Token);
            return;
        }
        span.SetTag("patientjourney.batch.writes", batch.Count);
        foreach (var pending in batch) pending.Trace = pending.Caller.TraceId == span.TraceId ? span.Context : pending.Caller;
        try
        {
            await _writeBatch(batch, _stopping.Token);
        }
        catch (Exception ex)
        {
            span.SetStatus(ActivityStatusCode.Error);
            span.SetTag("error.type", ex.GetType().FullName); // the type only: a message may name a patient
            throw;
        }
    }

    [LoggerMessage(LogLevel.Warning, "A batch of {Count} writes failed ({Error}); the {Waiting} still waiting are tried one by one")]
    private static partial void LogBatchFailed(ILogger logger, int waiting, int count, string error);

    public async ValueTask DisposeAsync()
    {
        foreach (var queue in _queues) queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        await Task.WhenAll(_writers);
        foreach (var queue in _queues)
            while (queue.Reader.TryRead(out var pending)) pending.Outcome.TrySetCanceled();
        _stopping.Dispose();
    }
}
