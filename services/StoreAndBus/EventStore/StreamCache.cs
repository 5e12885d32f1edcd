using System.Collections.Concurrent;
using Marten;
using Npgsql;
using NpgsqlTypes;
using PatientJourney.Contracts;

namespace PatientJourney.StoreAndBus.EventStore;

/// <summary>A patient's stream as a writer last saw it: its events in stream order and its version.</summary>
public sealed record CachedStream(long Version, IReadOnlyList<ClinicalEvent> Events, IReadOnlyList<Guid> EventIds);

/// <summary>
/// The streams a writer touched lately, so that each batch reads from the database only the streams that changed
/// since (another instance wrote them, or they were never read): one version query per batch instead of reading and
/// deserializing every event of every patient in it. Correct under any interleaving because it is only trusted when
/// the stream's version in the database, read under the patient's lock, is the cached one. Bounded: the least recently
/// written streams are dropped first.
/// </summary>
public sealed class StreamCache(int capacity = 2_000)
{
    private readonly ConcurrentDictionary<string, (CachedStream Stream, long Touched)> _streams = new(StringComparer.Ordinal);
    private long _clock;

    /// <summary>The patients' streams as they are now, read on the session's connection; call under their locks (<see cref="StreamLock"/>).</summary>
    public async Task<Dictionary<string, CachedStream>> ReadAsync(IDocumentSession session, string schema, IReadOnlyCollection<string> streamKeys, CancellationToken ct)
    {
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var batch = new NpgsqlBatch(session.Connection))
        {
            foreach (var statement in VersionsStatements(schema, streamKeys)) batch.BatchCommands.Add(statement);
            await using var reader = await batch.ExecuteReaderAsync(ct);
            do
            {
                while (await reader.ReadAsync(ct)) ReadVersion(reader, versions);
            } while (await reader.NextResultAsync(ct));
        }
        return await ResolveAsync(streamKeys, versions, () => session, ct, ownsSession: false);
    }

    /// <summary>
    /// The statement that reads the streams' versions (<see cref="ReadVersion"/> takes each row), for a writer's own
    /// batch: by index whatever the statistics say (<see cref="IndexReads"/>); to run inside the transaction.
    /// </summary>
    public static IEnumerable<NpgsqlBatchCommand> VersionsStatements(string schema, IReadOnlyCollection<string> streamKeys) =>
    [
        new("set local enable_seqscan = off"),
        new($"select id, version from {schema}.mt_streams where id = any($1)")
        {
            Parameters = { new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = streamKeys.ToArray() } },
        },
        new("set local enable_seqscan to default"),
    ];

    /// <summary>One row of <see cref="VersionsStatements"/>.</summary>
    public static void ReadVersion(NpgsqlDataReader row, Dictionary<string, long> versions) => versions[row.GetString(0)] = row.GetInt64(1);

    /// <summary>
    /// The patients' streams at the versions read under their locks (<see cref="VersionsStatements"/>): from the cache
    /// when it holds that version, else read, all of them in one round trip on the session's connection.
    /// </summary>
    public async Task<Dictionary<string, CachedStream>> ResolveAsync(IReadOnlyCollection<string> streamKeys, IReadOnlyDictionary<string, long> versions,
        Func<IDocumentSession> session, CancellationToken ct, bool ownsSession = true)
    {
        var streams = new Dictionary<string, CachedStream>(StringComparer.Ordinal);
        var stale = new List<string>();
        foreach (var key in streamKeys)
        {
            var version = versions.GetValueOrDefault(key);
            if (version == 0) streams[key] = new CachedStream(0, [], []);
            else if (_streams.TryGetValue(key, out var cached) && cached.Stream.Version == version) streams[key] = cached.Stream;
            else stale.Add(key);
        }
        if (stale.Count > 0)
        {
            // The moved streams in one round trip (a Marten batch query).
            var reader = session();
            await using var owned = ownsSession ? reader : null;
            var batch = reader.CreateBatchQuery();
            var fetches = stale.ToDictionary(k => k, k => batch.Events.FetchStream(k));
            await batch.Execute(ct);
            foreach (var (key, fetch) in fetches)
            {
                var events = await fetch;
                // Read under the lock, the stream cannot have moved; a writer that appends without it would be caught at the
                // commit by the (stream, version) key, but is not to be decided against here.
                if (events.Count != versions[key]) throw new InvalidOperationException($"a stream read under its lock holds {events.Count} events at version {versions[key]}");
                streams[key] = new CachedStream(events.Count, events.Select(e => e.Data).OfType<ClinicalEvent>().ToList(), events.Select(e => e.Id).ToList());
            }
        }
        return streams;
    }

    /// <summary>After a commit: the stream now ends with <paramref name="appended"/>.</summary>
    public void Appended(string streamKey, CachedStream before, IReadOnlyList<ClinicalEvent> appended)
    {
        var stream = new CachedStream(before.Version + appended.Count, [.. before.Events, .. appended], [.. before.EventIds, .. appended.Select(e => e.EventId)]);
        _streams[streamKey] = (stream, Interlocked.Increment(ref _clock));
        if (_streams.Count > capacity) Trim();
    }

    private void Trim()
    {
        lock (_streams)
        {
            if (_streams.Count <= capacity) return;
            foreach (var old in _streams.OrderBy(s => s.Value.Touched).Take(_streams.Count - capacity * 3 / 4).Select(s => s.Key).ToList())
                _streams.TryRemove(old, out _);
        }
    }
}
