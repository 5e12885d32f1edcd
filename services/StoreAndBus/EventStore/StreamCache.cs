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
    private volatile bool _storageExists;

    /// <summary>The patients' streams as they are now; call under their locks (<see cref="StreamLock"/>).</summary>
    public async Task<Dictionary<string, CachedStream>> ReadAsync(IDocumentSession session, string schema, IReadOnlyCollection<string> streamKeys, CancellationToken ct)
    {
        if (!_storageExists)
        {
            // Marten creates the event tables on first use of its own event API; this reads them before that.
            await session.DocumentStore.Storage.Database.EnsureStorageExistsAsync(typeof(JasperFx.Events.IEvent), ct);
            _storageExists = true;
        }
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        await session.Connection!.ReadByIndexAsync(
            new NpgsqlBatchCommand($"select id, version from {schema}.mt_streams where id = any($1)")
            {
                Parameters = { new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = streamKeys.ToArray() } },
            },
            row => versions[row.GetString(0)] = row.GetInt64(1), ct);

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
            var batch = session.CreateBatchQuery();
            var fetches = stale.ToDictionary(k => k, k => batch.Events.FetchStream(k));
            await batch.Execute(ct);
            foreach (var (key, fetch) in fetches)
            {
                var events = await fetch;
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
