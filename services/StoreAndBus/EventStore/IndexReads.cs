using Npgsql;

namespace PatientJourney.StoreAndBus.EventStore;

/// <summary>
/// Keyed reads inside a writer's transaction that take the index whatever the table's statistics say. A table that
/// grows from empty (a new department, years replayed into a new journey) keeps the plan made while it was small: a
/// prepared statement keeps its plan until the next ANALYZE, and a sequential scan of a stream table, whose rows are
/// all rewritten at each append, reads every dead row version where the index reads a few rows (measured in
/// docs/benchmarks-history.md, "the writers' keyed reads by index").
/// </summary>
public static class IndexReads
{
    /// <summary>Runs <paramref name="query"/> with sequential scans off for it alone, in the same round trip; call inside a transaction.</summary>
    public static async Task ReadByIndexAsync(this NpgsqlConnection connection, NpgsqlBatchCommand query, Action<NpgsqlDataReader> row, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands = { new NpgsqlBatchCommand("set local enable_seqscan = off"), query, new NpgsqlBatchCommand("set local enable_seqscan to default") },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        do
        {
            while (await reader.ReadAsync(ct)) row(reader);
        } while (await reader.NextResultAsync(ct));
    }
}
