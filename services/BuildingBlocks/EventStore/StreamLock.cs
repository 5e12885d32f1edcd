using Marten;
using Npgsql;

namespace PatientJourney.BuildingBlocks.EventStore;

/// <summary>
/// Serialises writers of one stream (one patient) for the rest of the session's transaction, across processes:
/// a read-decide-append then never loses its optimistic-concurrency race, however many requests or messages
/// for the same patient arrive at once. Other patients are not blocked.
/// </summary>
public static class StreamLock
{
    public static async Task LockStreamAsync(this IDocumentSession session, string schema, string streamKey, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended(@key, 0))", session.Connection);
        command.Parameters.AddWithValue("key", $"{schema}/{streamKey}");
        await command.ExecuteNonQueryAsync(ct);
    }
}
