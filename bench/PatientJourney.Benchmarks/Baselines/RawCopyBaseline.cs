using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace PatientJourney.Benchmarks.Baselines;

/// <summary>One event row as Marten's mt_events holds it (the columns that carry the fact).</summary>
public sealed record RawEvent(Guid Id, string StreamId, long Version, string Type, string Json, DateTimeOffset Timestamp);

/// <summary>
/// PostgreSQL's raw limit for storing events: Npgsql binary COPY of the same events into a table of its own shaped
/// like mt_events. Items/Elapsed = rows from the start of the COPY to its commit.
/// </summary>
public static class RawCopyBaseline
{
    // One COPY stream: on 2 cores the client's encoding and the server's jsonb parsing already run side by side,
    // and a second stream only makes them fight for the same cores.
    private const int Streams = 1;
    // Npgsql's 8 KiB default flushes the socket every ~20 rows; a bigger buffer means fewer, larger writes.
    private const int WriteBufferSize = 65536;

    public static async Task<BaselineResult> RunAsync(string connectionString, IReadOnlyList<RawEvent> events, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0) throw new ArgumentException("Nothing to copy.", nameof(events));

        var builder = new NpgsqlConnectionStringBuilder(connectionString) { WriteBufferSize = WriteBufferSize };
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        // A regular (logged) table, not TEMP or UNLOGGED: mt_events writes WAL, and so must the baseline.
        var table = $"bench_raw_events_{Guid.NewGuid():N}";

        await using (var create = dataSource.CreateCommand($"""
            CREATE TABLE {table} (
                id uuid NOT NULL,
                stream_id text NOT NULL,
                version bigint NOT NULL,
                type text NOT NULL,
                data jsonb NOT NULL,
                timestamp timestamptz NOT NULL
            )
            """))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        try
        {
            // Connections are opened before the clock starts: the figure is the COPY, not the handshake.
            var connections = new NpgsqlConnection[Streams];
            for (var i = 0; i < connections.Length; i++) connections[i] = await dataSource.OpenConnectionAsync(ct);
            try
            {
                var clock = Stopwatch.StartNew();
                var copies = new Task[connections.Length];
                for (var i = 0; i < connections.Length; i++)
                {
                    var connection = connections[i];
                    var slice = i;
                    copies[i] = Task.Run(() => CopySliceAsync(connection, table, events, slice, connections.Length, ct), ct);
                }
                await Task.WhenAll(copies);
                clock.Stop();

                // Proof that every row landed; a COPY that silently lost rows would flatter the figure.
                await using var count = dataSource.CreateCommand($"SELECT count(*) FROM {table}");
                var stored = (long)(await count.ExecuteScalarAsync(ct))!;
                if (stored != events.Count) throw new InvalidOperationException($"COPY stored {stored} of {events.Count} rows.");
                return new BaselineResult("Raw PostgreSQL (binary COPY, jsonb)", events.Count, clock.Elapsed);
            }
            finally
            {
                foreach (var connection in connections) await connection.DisposeAsync();
            }
        }
        finally
        {
            await using var drop = dataSource.CreateCommand($"DROP TABLE IF EXISTS {table}");
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private static async Task CopySliceAsync(NpgsqlConnection connection, string table, IReadOnlyList<RawEvent> events, int first, int stride, CancellationToken ct)
    {
        await using var writer = await connection.BeginBinaryImportAsync(
            $"COPY {table} (id, stream_id, version, type, data, timestamp) FROM STDIN (FORMAT BINARY)", ct);
        for (var i = first; i < events.Count; i += stride)
        {
            var e = events[i];
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(e.Id, NpgsqlDbType.Uuid, ct);
            await writer.WriteAsync(e.StreamId, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(e.Version, NpgsqlDbType.Bigint, ct);
            await writer.WriteAsync(e.Type, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(e.Json, NpgsqlDbType.Jsonb, ct);
            // Npgsql accepts only UTC for timestamptz; UtcDateTime takes any offset the caller used.
            await writer.WriteAsync(e.Timestamp.UtcDateTime, NpgsqlDbType.TimestampTz, ct);
        }
        await writer.CompleteAsync(ct);
    }
}
