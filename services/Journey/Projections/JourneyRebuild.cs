using Marten;
using Marten.Internal.Storage;
using Npgsql;
using NpgsqlTypes;
using PatientJourney.StoreAndBus.EventStore;
using PatientJourney.Contracts;
using PatientJourney.Journey.Merging;
using PatientJourney.Journey.PatientJourneys;
using PatientJourney.Journey.Store;
using PatientJourney.Journey.Worklist;

namespace PatientJourney.Journey.Projections;

/// <summary>Where an interrupted rebuild stopped: the last patient whose read models were rewritten.</summary>
public sealed record RebuildCheckpoint(string Id, string LastPatientId, int Done, int Total)
{
    public const string Key = "journey-rebuild";
}

public sealed record RebuildProgress(int Done, int Total);

/// <summary>
/// Rebuilds every patient's read models from the journey's event store; the result equals the live ones. Patients go
/// in batches of one transaction each: the batch's patients locked (the consumer's per-patient lock), their events read
/// in one query, projected in memory, their read models and the checkpoint written together. A rebuild that was
/// killed resumes after the last committed batch (rewriting a patient twice is harmless). The live service keeps
/// answering and consuming meanwhile.
/// </summary>
public static class JourneyRebuild
{
    /// <summary>
    /// LZ4 compresses the view documents past 2 kB (long schedules) several times faster than PostgreSQL's default
    /// pglz; readers cannot tell. For the transaction that runs it only, and only where the server has it. Public for
    /// the rebuild benchmark's raw baseline, which compresses as the rebuild does.
    /// </summary>
    public const string UseLz4 = "select set_config('default_toast_compression', 'lz4', true) from pg_settings"
        + " where name = 'default_toast_compression' and 'lz4' = any(enumvals)";

    /// <summary>
    /// A batch's commit does not wait for its WAL to reach the disk: a crash may lose the last batches committed, and with
    /// them their checkpoint (written in the same transaction), so the rebuild resumes before them. The checkpoint's
    /// deletion at the end waits as usual, and with it the WAL of every batch before it.
    /// </summary>
    private const string NoFlushWait = "set local synchronous_commit = off";

    public static async Task<int> RebuildAllAsync(
        IDocumentStore store, int batchSize = 200, IProgress<RebuildProgress>? progress = null, CancellationToken ct = default)
    {
        IReadOnlyList<string> patients;
        RebuildCheckpoint? checkpoint;
        // Read by SQL of its own before any session of the process may have created the event tables (a fresh database).
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(JasperFx.Events.IEvent), ct);
        await using (var query = store.QuerySession())
        {
            patients = await query.QueryAsync<string>(Tombstones.PatientStreamsSql(JourneyStore.Schema), ct);
            checkpoint = await query.LoadAsync<RebuildCheckpoint>(RebuildCheckpoint.Key, ct);
        }

        var remaining = checkpoint is null ? patients : patients.Where(p => string.CompareOrdinal(p, checkpoint.LastPatientId) > 0).ToList();
        var done = patients.Count - remaining.Count;
        progress?.Report(new RebuildProgress(done, patients.Count));

        var streams = new JourneyStreams(store);
        var writer = await ReadModelWriter.CreateAsync(store, ct);
        using var batches = remaining.Chunk(batchSize).GetEnumerator();
        // While one batch is written, the next is locked, read and projected on a connection of its own, so that
        // PostgreSQL and the projection work at the same time.
        var next = batches.MoveNext() ? PatientBatch.ProjectAsync(store, streams, batches.Current, ct) : null;
        try
        {
            while (next is not null)
            {
                await using var batch = await next;
                next = null;
                ct.ThrowIfCancellationRequested();
                if (batches.MoveNext()) next = PatientBatch.ProjectAsync(store, streams, batches.Current, ct);
                done += batch.Patients.Length;
                await batch.CommitAsync(writer, new RebuildCheckpoint(RebuildCheckpoint.Key, batch.Patients[^1], done, patients.Count), ct);
                progress?.Report(new RebuildProgress(done, patients.Count));
            }
        }
        finally
        {
            if (next is not null) await PatientBatch.AbandonAsync(next);
        }

        await using (var session = store.LightweightSession())
        {
            session.Delete<RebuildCheckpoint>(RebuildCheckpoint.Key);
            await session.SaveChangesAsync(ct);
        }
        return patients.Count;
    }

    /// <summary>One batch's open transaction: its patients locked and projected, nothing written yet.</summary>
    private sealed class PatientBatch(IDocumentSession session, string[] patients, PatientJourneyView[] views) : IAsyncDisposable
    {
        public string[] Patients => patients;

        public static async Task<PatientBatch> ProjectAsync(IDocumentStore store, JourneyStreams streams, string[] patients, CancellationToken ct)
        {
            var session = store.LightweightSession();
            try
            {
                // Ordinal order, as every writer of the journey takes these locks, so that no two writers deadlock; with the
                // records merges link them to, locked as the recorder locks them.
                var merges = await MergedRecords.LockAsync(session, patients, [], ct);
                // Read once the locks are held: no consumer's append can fall between this read and the write.
                var events = await streams.ReadAsync(session.Connection!, [.. merges.Patients], ct);
                // A merged-away record has no view: its survivor's is projected from all the survivor's records.
                var survivors = patients.Select(merges.SurvivorOf).Distinct(StringComparer.Ordinal).ToArray();
                var views = new PatientJourneyView[survivors.Length];
                Parallel.For(0, survivors.Length, new ParallelOptions { CancellationToken = ct }, i =>
                {
                    views[i] = SurvivorViews.Project(survivors[i], merges, r => events.GetValueOrDefault(r) is { } stream
                        ? new SurvivorViews.RecordStream(stream.Events(streams.Serializer).OfType<ClinicalEvent>(), stream.Count)
                        : new SurvivorViews.RecordStream([], 0));
                });
                return new PatientBatch(session, patients, views);
            }
            catch
            {
                await session.DisposeAsync();
                throw;
            }
        }

        public async Task CommitAsync(ReadModelWriter writer, RebuildCheckpoint checkpoint, CancellationToken ct)
        {
            // The batch's records' read models go (a merged-away one's for good) and its survivors' are written.
            await writer.WriteAsync(session.Connection!, [.. patients.Union(views.Select(v => v.Id), StringComparer.Ordinal)], views, ct);
            session.Store(checkpoint);
            await session.SaveChangesAsync(ct);
        }

        /// <summary>Rolls back a batch that will not be committed (the rebuild failed or was cancelled meanwhile).</summary>
        public static async Task AbandonAsync(Task<PatientBatch> pending)
        {
            try
            {
                await using var batch = await pending;
            }
            catch
            {
                // The rebuild's own failure is the one to report; a batch that failed disposed of its session itself.
            }
        }

        public ValueTask DisposeAsync() => session.DisposeAsync();
    }

    /// <summary>Many patients' journey streams in one query; the events are deserialized later, in parallel.</summary>
    private sealed class JourneyStreams(IDocumentStore store)
    {
        private static readonly string Sql = Tombstones.ClinicalEventsSql(JourneyStore.Schema, "stream_id, type, data")
            + " and stream_id = any(@streams) order by stream_id, version";

        private readonly Dictionary<string, Type> _types = store.Options.Events.AllKnownEventTypes().ToDictionary(t => t.EventTypeName, t => t.EventType);

        public ISerializer Serializer { get; } = store.Options.Serializer();

        public async Task<Dictionary<string, StoredStream>> ReadAsync(NpgsqlConnection connection, string[] patients, CancellationToken ct)
        {
            await using var command = new NpgsqlCommand(Sql, connection);
            command.Parameters.Add(new NpgsqlParameter("streams", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = patients });
            await using var reader = await command.ExecuteReaderAsync(ct);
            var streams = new Dictionary<string, StoredStream>(patients.Length);
            StoredStream? current = null;
            while (await reader.ReadAsync(ct))
            {
                var streamId = reader.GetString(0);
                if (current?.Id != streamId) streams.Add(streamId, current = new StoredStream(streamId));
                var type = reader.GetString(1);
                // An event the journey cannot read is a clinical fact it would lose: fail rather than skip it.
                var eventType = _types.GetValueOrDefault(type) ?? throw new InvalidOperationException($"Unknown event type '{type}' in stream {streamId}");
                current.Add(eventType, await reader.GetFieldValueAsync<byte[]>(2, ct));
            }
            return streams;
        }
    }

    /// <summary>One stream's events as stored (event type and JSON), in version order.</summary>
    private sealed class StoredStream(string id)
    {
        private readonly List<(Type Type, byte[] Json)> _events = [];

        public string Id => id;
        public int Count => _events.Count;
        public void Add(Type type, byte[] json) => _events.Add((type, json));

        public IEnumerable<object> Events(ISerializer serializer) =>
            _events.Select(e => serializer.FromJson(e.Type, new MemoryStream(e.Json, writable: false)));
    }

    /// <summary>
    /// Replaces a batch's read models, what <see cref="PatientReadModels.Write"/> does for one patient: the patients'
    /// views and worklist rows deleted, the new ones stored with Marten's own bulk loader (the columns and JSON of
    /// session.Store), as one COPY per table instead of a statement per document, which cost PostgreSQL and the client
    /// about twice as much. Under the patients' locks nobody else writes their rows meanwhile.
    /// </summary>
    private sealed class ReadModelWriter
    {
        private readonly IDocumentStore _store;
        private readonly ISerializer _serializer;
        private readonly string _deleteSql;

        private ReadModelWriter(IDocumentStore store)
        {
            _store = store;
            _serializer = store.Options.Serializer();
            var views = store.Options.FindOrResolveDocumentType(typeof(PatientJourneyView));
            var worklist = store.Options.FindOrResolveDocumentType(typeof(WorklistEntry));
            var patientColumn = worklist.DuplicatedFields.Single(f => f.MemberName == nameof(WorklistEntry.PatientId)).ColumnName;
            _deleteSql = $"{UseLz4}; {NoFlushWait}; delete from {views.TableName.QualifiedName} where id = any(@patients);"
                + $" delete from {worklist.TableName.QualifiedName} where {patientColumn} = any(@patients)";
        }

        public static async Task<ReadModelWriter> CreateAsync(IDocumentStore store, CancellationToken ct)
        {
            // A session creates missing tables on first use; a COPY does not.
            await store.Storage.Database.EnsureStorageExistsAsync(typeof(PatientJourneyView), ct);
            await WorklistCounts.EnsureAsync(store, ct); // the worklist table, and its counts' triggers before the COPY fires them
            return new ReadModelWriter(store);
        }

        public async Task WriteAsync(NpgsqlConnection connection, string[] patients, PatientJourneyView[] views, CancellationToken ct)
        {
            await using (var delete = new NpgsqlCommand(_deleteSql, connection))
            {
                delete.Parameters.Add(new NpgsqlParameter("patients", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = patients });
                await delete.ExecuteNonQueryAsync(ct);
            }
            await CopyAsync(connection, views, ct);
            await CopyAsync(connection, views.SelectMany(WorklistEntry.For).ToArray(), ct);
        }

        private Task CopyAsync<T>(NpgsqlConnection connection, IReadOnlyCollection<T> documents, CancellationToken ct) where T : notnull =>
            ((MartenDocumentProvider<T>)_store.Storage.Database.Providers.StorageFor<T>()).BulkLoader
                .LoadAsync(_store.Options.Tenancy.Default, _serializer, connection, documents, ct);
    }
}
