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
    private readonly string _requests;

    public DepartmentWriter(IDocumentStore store, DepartmentName department, TimeProvider clock, OutboxBacklog outbox, OutboxWakeup wakeup, ILogger<DepartmentWriter> logger,
        IConfiguration configuration, StoreSchema schemaApplied)
    {
        _schemaApplied = schemaApplied;
        _outbox = outbox;
        _wakeup = wakeup;
        _logger = logger;
        _store = store;
        _schema = department.Value;
        _requests = store.Options.FindOrResolveDocumentType(typeof(IdempotentRequest)).TableName.QualifiedName;
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
            var (answered, versions) = await BeginAsync(connection, patients, keys, ct);
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
                lastSequence = await CommitAsync(connection, appended.Select(a => new StreamAppend(a.Key, streams[a.Key].Version, a.Value)).ToList(), requests,
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

    /// <summary>
    /// Opens the batch's transaction in one round trip: begins it, takes the patients' locks, and reads the Idempotency-Keys
    /// already answered and the streams' versions. The transaction is the connection's own (BEGIN and COMMIT as
    /// statements), so that <see cref="CommitAsync"/> can send the commit with the writes.
    /// </summary>
    private async Task<(Dictionary<string, IdempotentRequest> Answered, Dictionary<string, long> Versions)> BeginAsync(
        Npgsql.NpgsqlConnection connection, IReadOnlyCollection<string> patients, string[] keys, CancellationToken ct)
    {
        var answered = new Dictionary<string, IdempotentRequest>(StringComparer.Ordinal);
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var batch = new Npgsql.NpgsqlBatch(connection) { BatchCommands = { new("begin"), StreamLock.Statement(_schema, patients) } };
        batch.BatchCommands.Add(new($"select data from {_requests} where id = any($1)") { Parameters = { new() { Value = keys } } });
        foreach (var statement in StreamCache.VersionsStatements(_schema, patients)) batch.BatchCommands.Add(statement);
        var serializer = _store.Options.Serializer();
        await using var reader = await batch.ExecuteReaderAsync(ct);
        do
        {
            // Told apart by their first column: the lock's count, a request's data, a stream's id and version.
            var first = reader.FieldCount == 0 ? "" : reader.GetName(0);
            while (await reader.ReadAsync(ct))
            {
                if (first == "data" && serializer.FromJson<IdempotentRequest>(reader, 0) is { } request) answered[request.Id] = request;
                else if (first == "id") StreamCache.ReadVersion(reader, versions);
            }
        } while (await reader.NextResultAsync(ct));
        return (answered, versions);
    }

    /// <summary>
    /// Writes the batch and commits it in one round trip (the events, the streams' versions, the answered
    /// Idempotency-Keys, then COMMIT): each event's row is inserted, and its sequence number taken, at the very end of
    /// the transaction, so the outbox meets it as an open gap only for that moment. Answers the highest sequence number
    /// committed, 0 when nothing was appended. Anything that fails rolls the whole transaction back.
    /// </summary>
    private async Task<long> CommitAsync(Npgsql.NpgsqlConnection connection, IReadOnlyCollection<StreamAppend> appends, IReadOnlyList<IdempotentRequest> requests,
        Func<ClinicalEvent, ActivityContext>? traceOf, CancellationToken ct)
    {
        await using var batch = new Npgsql.NpgsqlBatch(connection);
        foreach (var statement in ClinicalAppends.Statements(_store, _schema, JasperFx.StorageConstants.DefaultTenantId, appends, storedAt: null, traceOf, returning: true))
            batch.BatchCommands.Add(statement);
        if (requests.Count > 0)
        {
            var serializer = _store.Options.Serializer();
            // An Idempotency-Key answered meanwhile by another writer collides with its primary key: the batch is decided again.
            batch.BatchCommands.Add(new($"insert into {_requests} (id, data, mt_dotnet_type) select id, data::jsonb, $3 from unnest($1::varchar[], $2::text[]) as t(id, data)")
            {
                Parameters =
                {
                    new() { Value = requests.Select(r => r.Id).ToArray() },
                    new() { Value = requests.Select(r => serializer.ToJson(r)).ToArray() },
                    new() { Value = typeof(IdempotentRequest).FullName },
                },
            });
        }
        batch.BatchCommands.Add(new("commit"));
        var last = 0L;
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(ct);
            do
            {
                while (await reader.ReadAsync(ct)) last = Math.Max(last, reader.GetInt64(0));
            } while (await reader.NextResultAsync(ct));
        }
        catch
        {
            await RollbackAsync(connection);
            throw;
        }
        return last;
    }

    /// <summary>Ends a transaction that failed before its commit; a connection that broke is not returned to the pool anyway.</summary>
    private static async Task RollbackAsync(Npgsql.NpgsqlConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open) return;
        try
        {
            await using var rollback = new Npgsql.NpgsqlCommand("rollback", connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception)
        {
            // the connection is discarded by its disposal
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
