using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using PatientJourney.Journey.Projections;
using PatientJourney.Journey.Store;
using PatientJourney.StoreAndBus.EventStore;

namespace PatientJourney.Benchmarks.Baselines;

/// <summary>The raw rebuild's two halves, and the rows it copied into each read-model table's copy.</summary>
public sealed record RawRebuildResult(BaselineResult Read, BaselineResult Copy, IReadOnlyList<(string Table, long Rows)> Tables)
{
    public long Events => Read.Items;
    public TimeSpan Elapsed => Read.Elapsed + Copy.Elapsed;
    public double EventsPerSecond => Events / Elapsed.TotalSeconds;

    public override string ToString() =>
        $"raw baseline split: read {Read.Elapsed.TotalSeconds:F1} s ({Read.PerSecond:N0} rows/s), COPY {Copy.Elapsed.TotalSeconds:F1} s "
        + $"({Copy.PerSecond:N0} rows/s) of {string.Join(", ", Tables.Select(t => $"{t.Rows:N0} rows like {t.Table}"))} (primary keys, no other index)";
}

/// <summary>
/// PostgreSQL's raw limit for a rebuild, on the rebuild's own database once it has run: Npgsql reading every event row
/// the rebuild reads, as it reads them (by stream, by version; the same SQL but for the batches), plus Npgsql binary
/// COPY of the read-model rows the rebuild wrote, read back beforehand (untimed), into logged tables of the baseline's
/// own, each created like its read-model table with its primary key but none of its other indexes (those serve the read
/// API) and no triggers (the worklist counts' deltas are the rebuild's own cost). Items/Elapsed = event rows read, and
/// rows from the start of the first COPY to the commit; the baseline's time is the two added.
/// </summary>
public static class RawRebuildBaseline
{
    // The rows the rebuild reads (its SQL's filter), in its order, over the whole table instead of a batch of patients
    // at a time; the columns it reads, and the version it orders them by.
    private static readonly string EventsSql =
        Tombstones.ClinicalEventsSql(JourneyStore.Schema, "stream_id, version, type, data") + " order by stream_id, version";

    public static async Task<RawRebuildResult> RunAsync(string connectionString, IReadOnlyList<string> readModelTables, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentNullException.ThrowIfNull(readModelTables);
        if (readModelTables.Count == 0) throw new ArgumentException("Nothing to copy.", nameof(readModelTables));

        // The rebuild's own connection settings (its 64 KB socket buffers among them).
        await using var dataSource = NpgsqlDataSource.Create(ClinicalEventStore.ClinicalStoreConnection(connectionString));
        var tables = new List<TableRows>(readModelTables.Count);
        foreach (var table in readModelTables) tables.Add(await TableRows.LoadAsync(dataSource, table, ct));
        if (tables.Sum(t => t.Rows.Count) == 0) throw new InvalidOperationException("The rebuild wrote no read-model rows.");

        // A schema of the baseline's own, so that each copy keeps its table's name and one drop removes them all. The
        // tables are created before the clock, in a transaction of their own: regular logged tables, whose COPY writes
        // WAL as the rebuild's does (a table created in the COPY's transaction may skip it under wal_level=minimal).
        var schema = $"bench_raw_{Guid.NewGuid():N}";
        await ExecuteAsync(dataSource, $"create schema {schema}; "
            + string.Concat(tables.Select(t => $"create table {schema}.{t.Name} (like {t.Table} including defaults); alter table {schema}.{t.Name} add {t.PrimaryKey}; ")), ct);
        try
        {
            // Connections are opened before the clock starts: the figure is the reading and the COPY, not the handshake.
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            var clock = Stopwatch.StartNew();
            var events = await ReadEventsAsync(connection, ct);
            var read = new BaselineResult("Npgsql read of the event rows (by stream, by version)", events, clock.Elapsed);

            clock.Restart();
            await using (var tx = await connection.BeginTransactionAsync(ct))
            {
                // TOAST compression as the rebuild's transactions have it.
                await using (var lz4 = new NpgsqlCommand(JourneyRebuild.UseLz4, connection)) await lz4.ExecuteNonQueryAsync(ct);
                foreach (var table in tables) await table.CopyAsync(connection, schema, ct);
                await tx.CommitAsync(ct);
            }
            var copied = tables.Sum(t => (long)t.Rows.Count);
            var copy = new BaselineResult("binary COPY of the read-model rows (primary keys, no other index)", copied, clock.Elapsed);

            // Proof that every row landed; a COPY that silently lost rows would flatter the figure.
            foreach (var table in tables)
            {
                await using var count = dataSource.CreateCommand($"select count(*) from {schema}.{table.Name}");
                var stored = (long)(await count.ExecuteScalarAsync(ct))!;
                if (stored != table.Rows.Count) throw new InvalidOperationException($"COPY stored {stored} of {table.Rows.Count} rows like {table.Table}.");
            }
            return new RawRebuildResult(read, copy, [.. tables.Select(t => (t.Table, (long)t.Rows.Count))]);
        }
        finally
        {
            await ExecuteAsync(dataSource, $"drop schema if exists {schema} cascade", CancellationToken.None);
        }
    }

    /// <summary>Every event row, each value fetched as the rebuild fetches it; returns the rows read.</summary>
    private static async Task<long> ReadEventsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(EventsSql, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        long rows = 0;
        while (await reader.ReadAsync(ct))
        {
            // Fetched as the rebuild fetches them; what it does with them next (projecting) is the rebuild's own work.
            _ = reader.GetString(0);
            _ = reader.GetInt64(1);
            _ = reader.GetString(2);
            _ = await reader.GetFieldValueAsync<byte[]>(3, ct);
            rows++;
        }
        return rows;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A read-model table's rows as the rebuild wrote them (its columns, in its heap's order), held in memory.</summary>
    private sealed record TableRows(string Table, string PrimaryKey, string[] Columns, NpgsqlDbType[] Types, List<object?[]> Rows)
    {
        /// <summary>The table's name without its schema: its copy's name in the baseline's schema.</summary>
        public string Name => Table[(Table.LastIndexOf('.') + 1)..];

        public static async Task<TableRows> LoadAsync(NpgsqlDataSource dataSource, string table, CancellationToken ct)
        {
            string primaryKey;
            await using (var key = dataSource.CreateCommand("select pg_get_constraintdef(oid) from pg_constraint where conrelid = $1::regclass and contype = 'p'"))
            {
                key.Parameters.Add(new NpgsqlParameter { Value = table });
                primaryKey = (string?)await key.ExecuteScalarAsync(ct) ?? throw new InvalidOperationException($"{table} has no primary key.");
            }

            // In ctid order: a fresh table's heap holds the rows in the order the rebuild wrote them, which is the order
            // its primary key index saw them arrive.
            await using var select = dataSource.CreateCommand($"select * from {table} order by ctid");
            await using var reader = await select.ExecuteReaderAsync(ct);
            var schema = reader.GetColumnSchema();
            var columns = schema.Select(c => c.ColumnName).ToArray();
            var types = schema.Select(c => c.NpgsqlDbType ?? throw new InvalidOperationException($"{table}.{c.ColumnName}: no NpgsqlDbType for {c.DataTypeName}")).ToArray();
            var rows = new List<object?[]>();
            while (await reader.ReadAsync(ct))
            {
                var values = new object?[columns.Length];
                for (var i = 0; i < values.Length; i++) values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                rows.Add(values);
            }
            return new TableRows(table, primaryKey, columns, types, rows);
        }

        public async Task CopyAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
        {
            await using var writer = await connection.BeginBinaryImportAsync(
                $"copy {schema}.{Name} ({string.Join(", ", Columns.Select(c => $"\"{c}\""))}) from stdin (format binary)", ct);
            foreach (var row in Rows)
            {
                await writer.StartRowAsync(ct);
                for (var i = 0; i < row.Length; i++)
                {
                    if (row[i] is { } value) await writer.WriteAsync(value, Types[i], ct);
                    else await writer.WriteNullAsync(ct);
                }
            }
            await writer.CompleteAsync(ct);
        }
    }
}
