using System.Diagnostics;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using PatientJourney.Contracts;
using PatientJourney.DepartmentKit.Outbox;
using PatientJourney.Hosting.Telemetry;
using PatientJourney.StoreAndBus.EventStore;

namespace PatientJourney.DepartmentKit;

/// <summary>A validated command waiting to be decided against the patient's stream and appended.</summary>
public sealed record DepartmentWrite(
    string PatientId, string IdempotencyKey, string RecordedBy, DateOnly Today, IReadOnlyDictionary<string, string> Route, Func<CommandContext, Decision> Decide)
{
    /// <summary>Other patients whose streams the decision reads (a merge's survivor): locked and read with the batch's.</summary>
    public IReadOnlyList<string> OtherPatients { get; init; } = [];
}

/// <summary>
/// Decides and appends the department's commands in batches (group commit): the patients of a batch are locked
/// together, their streams and the batch's Idempotency-Keys read in one round trip each, every command decided in
/// arrival order against its patient's history including what the batch appended before it, and all of it committed
/// in one transaction. A refused command refuses only itself; a batch that loses a race with another writer is decided
/// again on fresh state.
/// </summary>
public sealed partial class DepartmentWriter : IAsyncDisposable
{
    private const int ConcurrencyAttempts = 5;

    /// <summary>
    /// One batch in flight per department (<c>Department:BatchWriters</c>): the four departments of a small machine's
    /// host then have four transactions in flight, not eight, and each carries twice the commands, so the per-transaction
    /// round trips, session and commit are paid half as often: less CPU per event on two shared cores (measured in
    /// docs/benchmarks-history.md, "one batch writer per department").
    /// </summary>
    public const int DefaultBatchWriters = 1;
    private readonly IDocumentStore _store;
    private readonly string _schema;
    private readonly TimeProvider _clock;
    private readonly GroupCommit<DepartmentWrite, IResult> _commits;
    private readonly StreamCache _streams = new();
    private readonly OutboxBacklog _outbox;
    private readonly OutboxWakeup _wakeup;
    private readonly ILogger<DepartmentWriter> _logger;
    private readonly StoreSchema _schemaApplied;
    private readonly DepartmentTransaction _transaction;

    public DepartmentWriter(IDocumentStore store, DepartmentName department, TimeProvider clock, OutboxBacklog outbox, OutboxWakeup wakeup, ILogger<DepartmentWriter> logger,
        IConfiguration configuration, StoreSchema schemaApplied)
    {
        _schemaApplied = schemaApplied;
        _outbox = outbox;
        _wakeup = wakeup;
        _logger = logger;
        _store = store;
        _schema = department.Value;
        _transaction = new DepartmentTransaction(store, department.Value);
        _clock = clock;
        _commits = new GroupCommit<DepartmentWrite, IResult>(WriteBatchAsync, w => w.PatientId,
            writers: configuration.GetValue<int?>("Department:BatchWriters") ?? DefaultBatchWriters, logger: logger, spanName: $"{department.Value} append");
    }

    public Task<IResult> SubmitAsync(DepartmentWrite write, CancellationToken ct) => _commits.SubmitAsync(write, ct);

    /// <summary>
    /// Called by a request before it is read: waits while the journey is behind and the outbox is past its bound
    /// (<see cref="OutboxBacklog"/>), never longer than its hold. Per request, not per entry of a batch, so that a
    /// batch's entries are still queued in their order.
    /// </summary>
    public Task WaitForOutboxRoomAsync(CancellationToken ct) => _outbox.WaitForRoomAsync(ct);

    private async Task WriteBatchAsync(IReadOnlyList<PendingWrite<DepartmentWrite, IResult>> batch, CancellationToken ct)
    {
        await _schemaApplied.AppliedAsync(ct);
        var span = Activity.Current; // the batch's (GroupCommit), when traced
        span?.SetTag(PatientJourneyTelemetry.DepartmentTag, _schema);
        for (var attempt = 1; ; attempt++)
        {
            var answers = new Dictionary<PendingWrite<DepartmentWrite, IResult>, IResult>();
            await using var connection = _store.Storage.Database.CreateConnection(Marten.Storage.ConnectionUsage.ReadWrite);
            await connection.OpenAsync(ct);
            // The other patients a command names are locked with the batch's (in the one ordinal order), so no write can fall
            // between reading their histories and committing what was decided from them.
            var patients = batch.Select(p => p.Item.PatientId).Concat(batch.SelectMany(p => p.Item.OtherPatients)).Distinct().ToList();
            var keys = batch.Select(p => p.Item.IdempotencyKey).Where(k => k.Length > 0).Distinct().ToArray();
            var (answered, versions) = await _transaction.BeginAsync(connection, patients, keys, ct);
            // A stream another instance moved is read on a connection of its own, the primary's (a session disposed would close
            // this one): under the patients' locks nothing can append to it meanwhile, so it reads as it stands at the version read.
            var streams = await _streams.ResolveAsync(patients, versions, () => _store.LightweightSession(), ct);
            var histories = streams.ToDictionary(s => s.Key, s => s.Value.Events.ToList());
            var appended = new Dictionary<string, List<ClinicalEvent>>();
            var requests = new List<IdempotentRequest>();
            // Traced: each event keeps the context its request's trace goes on from, for the outbox's publish.
            var traces = span is null ? null : new Dictionary<Guid, ActivityContext>();

            var now = _clock.GetUtcNow();
            foreach (var pending in batch)
            {
                if (pending.IsDone) continue;
                var write = pending.Item;
                if (write.IdempotencyKey.Length > 0 && answered.TryGetValue(write.IdempotencyKey, out var earlier))
                {
                    answers[pending] = Accepted(earlier.EventId, earlier.PatientId, earlier.Type);
                    continue;
                }

                Decision decision;
                try
                {
                    var record = histories[write.PatientId];
                    decision = write.Decide(new CommandContext(write.PatientId, Corrections.Standing(record), write.Today, write.Route, record)
                        { Others = write.OtherPatients.Distinct().ToDictionary(p => p, p => Corrections.Standing(histories[p])) });
                }
                catch (Exception ex)
                {
                    pending.Outcome.TrySetException(ex); // a decision that throws fails its own request, not the batch
                    continue;
                }
                if (decision.Refused is { } refusal)
                {
                    answers[pending] = DepartmentCommands.Refuse(refusal);
                    continue;
                }

                var events = decision.Events
                    .Select(e => e with { EventId = e.EventId == Guid.Empty ? Guid.CreateVersion7(now) : e.EventId, PatientId = write.PatientId, RecordedAt = now, RecordedBy = write.RecordedBy })
                    .ToList();
                // The journey checks every event with these same rules: what it would refuse is refused here, with the
                // fields named, rather than recorded and forwarded to be dead-lettered.
                if (events.Select(e => e.Validate(write.Today)).FirstOrDefault(v => !v.IsValid) is { } invalid)
                {
                    answers[pending] = TypedResults.ValidationProblem(invalid.Errors);
                    continue;
                }
                histories[write.PatientId].AddRange(events);
                if (traces is not null) foreach (var e in events) traces[e.EventId] = pending.Trace;
                (appended.TryGetValue(write.PatientId, out var list) ? list : appended[write.PatientId] = []).AddRange(events);
                var first = events[0];
                if (write.IdempotencyKey.Length > 0)
                {
                    var request = new IdempotentRequest { Id = write.IdempotencyKey, EventId = first.EventId, PatientId = first.PatientId, Type = first.Type };
                    answered[request.Id] = request;
                    requests.Add(request);
                }
                answers[pending] = Accepted(first.EventId, first.PatientId, first.Type);
            }

            long lastSequence;
            try
            {
                lastSequence = await _transaction.CommitAsync(connection, appended.Select(a => new StreamAppend(a.Key, streams[a.Key].Version, a.Value)).ToList(), requests,
                    traces is null ? null : e => traces.GetValueOrDefault(e.EventId), ct);
            }
            catch (Exception ex) when (attempt < ConcurrencyAttempts && IsConcurrentWrite(ex))
            {
                // Another writer of the same stream or Idempotency-Key (another instance, say) won: decide again on fresh state.
                LogDecidedAgain(_logger, batch.Count, attempt, ex.GetType().Name);
                continue;
            }

            // Committed: answered before anything else runs, so that nothing after the commit can make a recorded write
            // look failed and have it decided again (it would be refused as a duplicate of itself).
            foreach (var (pending, answer) in answers) pending.Outcome.TrySetResult(answer);
            if (lastSequence > 0) _wakeup.Committed(lastSequence);
            foreach (var (patientId, events) in appended) _streams.Appended(patientId, streams[patientId], events);
            DepartmentMetrics.Accepted(_schema, appended.Values);
            return;
        }
    }

    [LoggerMessage(LogLevel.Information, "A batch of {Count} writes lost a race with another writer ({Error}, attempt {Attempt}); decided again")]
    private static partial void LogDecidedAgain(ILogger logger, int count, int attempt, string error);

    // The batch's writes are its own statements (ClinicalAppends, the Idempotency-Keys), outside Marten's unit of work.
    private static bool IsConcurrentWrite(Exception ex) => ex is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation };

    private static IResult Accepted(Guid eventId, string patientId, string type) =>
        TypedResults.Accepted((string?)null, new AcceptedEvent(eventId, patientId, type));

    public ValueTask DisposeAsync() => _commits.DisposeAsync();
}
