using System.Security.Cryptography;
using System.Text.Json;
using Marten;
using Npgsql;
using NpgsqlTypes;
using PatientJourney.Hosting;
using PatientJourney.StoreAndBus.EventStore;
using PatientJourney.Contracts;
using PatientJourney.Journey.Store;

namespace PatientJourney.Journey.Audit;

/// <summary>
/// One link of a patient's hash chain: the hash (lowercase hex) over the previous link's hash, when the journey stored the
/// event (<paramref name="KnownAt"/>, the journey's own clock; absent from links written before it was kept) and the
/// event's canonical JSON.
/// </summary>
public sealed record ChainLink(string PatientId, long Version, Guid EventId, string Hash, DateTimeOffset? KnownAt = null);

public sealed record ChainVerification(string PatientId, bool Intact, int Events, long? FirstAlteredVersion, Guid? FirstAlteredEventId, string? Reason);

/// <summary>
/// Tamper evidence: each journey event is chained to the one before it, so changing an event's content, its order,
/// or deleting one breaks every hash from there on, and verification names the first event that no longer matches.
/// The links are rows of a narrow table of their own (patient, version, event, 32-byte hash), not documents: written
/// as Marten documents (JSON, a second index, a version uuid) they were among the journey's largest statements
/// (measured in docs/benchmarks-history.md, "the chain links in a table of their own").
/// </summary>
public static class EventChain
{
    public const string Genesis = "genesis";
    public const string Table = JourneyStore.Schema + ".event_chain";

    /// <summary>The event as the contract serializes it: one property order (the record's), one JSON dialect.</summary>
    public static byte[] CanonicalJson(ClinicalEvent e) => JsonSerializer.SerializeToUtf8Bytes(e, e.GetType(), JsonDefaults.Options);

    public static string HashOf(string previousHash, ClinicalEvent e, DateTimeOffset? knownAt = null)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes(previousHash));
        if (knownAt is { } at) sha.AppendData(System.Text.Encoding.UTF8.GetBytes(KnownAtText(at)));
        sha.AppendData(CanonicalJson(e));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>
    /// The links of events newly appended after <paramref name="version"/> to the patient's chain, stored by the caller
    /// in the same unit of work (<see cref="Append"/>). <paramref name="lastHash"/> is the chain's hash at
    /// <paramref name="version"/> (null for a new stream; a missing link restarts from genesis, which verification then
    /// reports as the break it is).
    /// </summary>
    public static IEnumerable<ChainLink> Links(string? lastHash, long version, IEnumerable<ClinicalEvent> appended, DateTimeOffset knownAt)
    {
        var previousHash = lastHash ?? Genesis;
        knownAt = Microseconds(knownAt);
        foreach (var e in appended)
        {
            var link = new ChainLink(e.PatientId, ++version, e.EventId, HashOf(previousHash, e, knownAt), knownAt);
            yield return link;
            previousHash = link.Hash;
        }
    }

    /// <summary>PostgreSQL keeps microseconds: the time hashed is the time stored, to the microsecond.</summary>
    public static DateTimeOffset Microseconds(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);

    private static string KnownAtText(DateTimeOffset at) => "|" + at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture) + "|";

    /// <summary>Queues the links' insert in the session's unit of work: one statement, whatever their number.</summary>
    public static void Append(IDocumentSession session, IReadOnlyCollection<ChainLink> links)
    {
        if (links.Count == 0) return;
        session.QueueSqlCommand($"""
            insert into {Table} (patient_id, version, event_id, hash, known_at)
            select patient_id, version, event_id, decode(hash, 'hex'), known_at
            from unnest(?::varchar[], ?::bigint[], ?::uuid[], ?::text[], ?::timestamptz[]) as l(patient_id, version, event_id, hash, known_at)
            """, links.Select(l => l.PatientId).ToArray(), links.Select(l => l.Version).ToArray(), links.Select(l => l.EventId).ToArray(),
            links.Select(l => l.Hash).ToArray(), links.Select(l => l.KnownAt ?? throw new ArgumentException("a new link carries its known-at time", nameof(links))).ToArray());
    }

    /// <summary>The hash at each patient's given version, where there is one; call inside the writer's transaction.</summary>
    public static async Task<Dictionary<string, string>> HashesAtAsync(IDocumentSession session, IReadOnlyDictionary<string, long> versions, CancellationToken ct)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (versions.Count == 0) return hashes;
        await session.Connection!.ReadByIndexAsync(
            new NpgsqlBatchCommand($"""
                select c.patient_id, encode(c.hash, 'hex') from unnest($1, $2) as k(patient_id, version)
                join {Table} c on c.patient_id = k.patient_id and c.version = k.version
                """)
            {
                Parameters =
                {
                    new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar, Value = versions.Keys.ToArray() },
                    new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = versions.Values.ToArray() },
                },
            },
            row => hashes[row.GetString(0)] = row.GetString(1), ct);
        return hashes;
    }

    public static async Task<ChainVerification> VerifyAsync(IQuerySession session, string patientId, CancellationToken ct)
    {
        var stream = await session.Events.FetchStreamAsync(patientId, token: ct);
        // As JSON text: a class given to QueryAsync would be taken for a document type and get a table of its own.
        var links = (await session.QueryAsync<string>($"""
            select json_build_object('patientId', patient_id, 'version', version, 'eventId', event_id, 'hash', encode(hash, 'hex'), 'knownAt', known_at)::text
            from {Table} where patient_id = ?
            """, ct, patientId)).Select(l => JsonSerializer.Deserialize<ChainLink>(l, JsonDefaults.Options)!).ToDictionary(l => l.Version);
        var previousHash = Genesis;
        foreach (var e in stream.OrderBy(e => e.Version))
        {
            if (e.Data is not ClinicalEvent clinical) return Altered(e.Version, e.Id, "the event is not a clinical event of the contract");
            if (!links.TryGetValue(e.Version, out var link)) return Altered(e.Version, e.Id, "the event has no link in the chain");
            if (link.EventId != e.Id) return Altered(e.Version, e.Id, $"the chain holds event {link.EventId} at this position");
            if (link.Hash != HashOf(previousHash, clinical, link.KnownAt)) return Altered(e.Version, e.Id, "the event's content or known-at time no longer matches its hash");
            // "As known at" answers from the event's stored time: it must be the time the link was hashed with.
            if (link.KnownAt is { } knownAt && Microseconds(e.Timestamp) != knownAt) return Altered(e.Version, e.Id, "the event's stored time is not the known-at time of its link");
            previousHash = link.Hash;
        }
        if (links.Count != stream.Count)
            return Altered(stream.Count + 1, null, $"the chain has {links.Count} links for {stream.Count} events: events were deleted");
        return new ChainVerification(patientId, true, stream.Count, null, null, null);

        ChainVerification Altered(long version, Guid? eventId, string reason) => new(patientId, false, stream.Count, version, eventId, reason);
    }

    /// <summary>
    /// Creates the chain's table; idempotent. A database from before it kept its links as Marten documents
    /// (<c>mt_doc_chainlink</c>): they are carried over once, in the same transaction that drops the old table, so that
    /// no link is lost and none is checked twice.
    /// </summary>
    public static async Task EnsureAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var command = new NpgsqlCommand($"""
            select pg_advisory_xact_lock(hashtext('{Table}'));
            create schema if not exists {JourneyStore.Schema};
            create table if not exists {Table} (patient_id varchar not null, version bigint not null, event_id uuid not null,
                hash bytea not null, primary key (patient_id, version));
            alter table {Table} add column if not exists known_at timestamptz;
            """, connection))
            await command.ExecuteNonQueryAsync(ct);
        await using (var old = new NpgsqlCommand($"select to_regclass('{JourneyStore.Schema}.mt_doc_chainlink') is not null", connection))
        {
            if ((bool)(await old.ExecuteScalarAsync(ct))!)
            {
                await using var move = new NpgsqlCommand($"""
                    insert into {Table} (patient_id, version, event_id, hash)
                    select data->>'patientId', (data->>'version')::bigint, (data->>'eventId')::uuid, decode(data->>'hash', 'hex')
                    from {JourneyStore.Schema}.mt_doc_chainlink on conflict do nothing;
                    drop table {JourneyStore.Schema}.mt_doc_chainlink;
                    """, connection);
                await move.ExecuteNonQueryAsync(ct);
            }
        }
        await tx.CommitAsync(ct);
    }
}
