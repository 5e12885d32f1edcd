using JasperFx.Events.Projections;
using Marten;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using PatientJourney.StoreAndBus;
using PatientJourney.StoreAndBus.EventStore;

namespace PatientJourney.DepartmentKit.Outbox;

/// <summary>
/// Sequence numbers the outbox moved past with no event: a page covers (floor, ceiling], and a number in it without a row
/// is a transaction that rolled back (a killed instance's) or, now and then, one still in flight that Marten's high-water
/// detection took for dead (a few in the 2,000 facts of the scale-out chaos run). Each such number is kept in the
/// department's store, in the transaction that moves the outbox's progress past it, so that it outlives the instance
/// that saw it: kept in that instance's memory, it died with a killed forwarder, the next one resumed past it, and the
/// fact committed under it never reached the journey (the scale-out chaos run, once in a few runs).
/// <see cref="OutboxGapSweeper"/> forwards the event once its row appears (the journey ignores an eventId it has), or
/// forgets the number after Outbox:GapHorizonMinutes (default 10): no transaction stays open that long.
/// </summary>
public static class OutboxGaps
{
    public const string Table = "outbox_gaps";

    /// <summary>The numbers of (floor, ceiling] that are not among <paramref name="sequences"/>.</summary>
    public static IReadOnlyList<long> Missing(long floor, long ceiling, IReadOnlyCollection<long> sequences)
    {
        if (ceiling - floor == sequences.Count) return [];
        var held = sequences.ToHashSet();
        var missing = new List<long>();
        for (var sequence = floor + 1; sequence <= ceiling; sequence++)
            if (!held.Contains(sequence)) missing.Add(sequence);
        return missing;
    }

    /// <summary>Queues the page's missing numbers with the operations Marten commits together with the page's progress.</summary>
    public static void Record(IDocumentOperations operations, EventRange page)
    {
        var missing = Missing(page.SequenceFloor, page.SequenceCeiling, page.Events.Select(e => e.Sequence).ToList());
        if (missing.Count == 0) return;
        operations.QueueSqlCommand($"insert into {SchemaOf(operations.DocumentStore)}.{Table} (seq_id) select unnest(?) on conflict do nothing",
            (object)missing.ToArray());
    }

    /// <summary>Creates the table once; an installer of the store's schema (StoreSchema), before the outbox starts.</summary>
    public static async Task EnsureAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection(Marten.Storage.ConnectionUsage.ReadWrite);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"create table if not exists {SchemaOf(store)}.{Table} (seq_id bigint primary key, seen_at timestamptz not null default now())", connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    public static TimeSpan HorizonFrom(IConfiguration configuration) =>
        TimeSpan.FromMinutes(Math.Max(1, configuration.GetValue<int?>("Outbox:GapHorizonMinutes") ?? 10));

    internal static string SchemaOf(IDocumentStore store) => store.Options.Events.DatabaseSchemaName;
}

/// <summary>
/// Every few seconds, on every instance of the department, forwards the events that have since appeared under the numbers
/// <see cref="OutboxGaps"/> keeps. The numbers it looks at are locked (skip locked) until it is done, so two instances do
/// not forward the same late event at once.
/// </summary>
public sealed partial class OutboxGapSweeper(IDocumentStore store, IBus bus, InfrastructureSettings settings, IConfiguration configuration,
    ILogger<OutboxGapSweeper> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);
    private readonly TimeSpan _horizon = OutboxGaps.HorizonFrom(configuration);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The numbers stay kept: the next sweep tries again.
                LogSweepFailed(logger, ex.GetType().Name);
            }
        }
    }

    public async Task SweepAsync(CancellationToken ct)
    {
        var schema = OutboxGaps.SchemaOf(store);
        await using var connection = store.Storage.Database.CreateConnection(Marten.Storage.ConnectionUsage.ReadWrite); // the primary's
        await connection.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var late = new List<long>();
        var done = new List<long>();
        var expired = 0;
        await using (var command = new NpgsqlCommand($"""
            select g.seq_id, e.type, g.seen_at < now() - $1 from {schema}.{OutboxGaps.Table} g
            left join {schema}.mt_events e on e.seq_id = g.seq_id order by g.seq_id for update of g skip locked
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = _horizon });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var sequence = reader.GetInt64(0);
                if (!reader.IsDBNull(1))
                {
                    done.Add(sequence);
                    if (reader.GetString(1) != Tombstones.EventType) late.Add(sequence);
                }
                else if (reader.GetBoolean(2))
                {
                    done.Add(sequence);
                    expired++;
                }
            }
        }
        if (done.Count == 0) return;
        if (late.Count > 0)
        {
            await using var session = store.LightweightSession();
            var events = await session.Events.QueryAllRawEvents().Where(e => e.Sequence.IsOneOf(late.ToArray())).ToListAsync(ct);
            await ClinicalEventPublisher.PublishAsync(bus, events.OrderBy(e => e.Sequence).ToList(), settings.BusMessages, ct);
            LogForwardedLate(logger, late.Count);
        }
        await using (var delete = new NpgsqlCommand($"delete from {schema}.{OutboxGaps.Table} where seq_id = any($1)", connection))
        {
            delete.Parameters.Add(new NpgsqlParameter { Value = done.ToArray() });
            await delete.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        if (expired > 0) LogGaveUp(logger, expired, _horizon.TotalMinutes);
    }

    [LoggerMessage(LogLevel.Warning, "Outbox forwarded {Count} events committed after it had moved past their sequence numbers")]
    private static partial void LogForwardedLate(ILogger logger, int count);

    [LoggerMessage(LogLevel.Information, "Outbox stopped watching {Count} sequence numbers with no event after {Minutes} minutes (rolled-back transactions)")]
    private static partial void LogGaveUp(ILogger logger, int count, double minutes);

    [LoggerMessage(LogLevel.Warning, "Outbox could not look for late events ({Error}); it tries again")]
    private static partial void LogSweepFailed(ILogger logger, string error);
}
