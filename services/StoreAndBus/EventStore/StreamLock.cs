using Marten;
using Npgsql;
using NpgsqlTypes;

namespace PatientJourney.StoreAndBus.EventStore;

/// <summary>
/// Serialises writers of one stream (one patient) for the rest of the session's transaction, across processes:
/// a read-decide-append then never loses its optimistic-concurrency race, however many requests or messages
/// for the same patient arrive at once. Other patients are not blocked.
/// </summary>
public static class StreamLock
{
    public static Task LockStreamAsync(this IDocumentSession session, string schema, string streamKey, CancellationToken ct) =>
        session.LockStreamsAsync(schema, [streamKey], ct);

    /// <summary>
    /// Several streams in one round trip, always in ordinal order, so that two writers locking overlapping sets
    /// (two batches, a batch and a rebuild) wait for each other instead of deadlocking.
    /// </summary>
    public static async Task LockStreamsAsync(this IDocumentSession session, string schema, IEnumerable<string> streamKeys, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        await LockMoreStreamsAsync(session, schema, streamKeys, ct);
    }

    /// <summary>
    /// More streams in the transaction <see cref="LockStreamsAsync"/> began: only for locks found needed once others were
    /// held (the journey's merged records); taken out of the one order, a rare deadlock is broken by PostgreSQL.
    /// </summary>
    public static async Task LockMoreStreamsAsync(this IDocumentSession session, string schema, IEnumerable<string> streamKeys, CancellationToken ct)
    {
        await using var command = new NpgsqlBatch(session.Connection) { BatchCommands = { Statement(schema, streamKeys) } };
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The statement that takes the streams' locks for the rest of the transaction, for a writer's own batch.</summary>
    public static NpgsqlBatchCommand Statement(string schema, IEnumerable<string> streamKeys)
    {
        var keys = streamKeys.Select(k => $"{schema}/{k}").Distinct().Order(StringComparer.Ordinal).ToArray();
        // unnest keeps the array's order, so the locks are taken in it.
        return new NpgsqlBatchCommand("select count(pg_advisory_xact_lock(hashtextextended(k, 0))) from unnest($1) as k")
        {
            Parameters = { new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = keys } },
        };
    }
}
