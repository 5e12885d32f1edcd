using System.Collections.Concurrent;
using JasperFx.Events;
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
/// is a transaction that rolled back (a killed instance's) or, rarely, one still in flight that Marten's high-water
/// detection took for dead (the scale-out chaos run lost 2 of 20,000 facts that way after a takeover, with every number
/// taken by the statement that inserts its row). Each such number is looked at again until its row appears, and then
/// forwarded (the journey ignores an eventId it has), or until <see cref="Horizon"/> has passed (Outbox:GapHorizonMinutes,
/// default 10): no transaction stays open that long.
/// </summary>
public sealed class OutboxGaps(TimeProvider clock, TimeSpan horizon)
{
    private readonly ConcurrentDictionary<long, DateTimeOffset> _open = new();

    public TimeSpan Horizon { get; } = horizon;

    public static OutboxGaps From(IConfiguration configuration) =>
        new(TimeProvider.System, TimeSpan.FromMinutes(Math.Max(1, configuration.GetValue<int?>("Outbox:GapHorizonMinutes") ?? 10)));

    /// <summary>Numbers watched now.</summary>
    public IReadOnlyCollection<long> Open => [.. _open.Keys.Order()];

    /// <summary>The numbers of the page's range that it holds no event for.</summary>
    public void Observe(EventRange page) => Observe(page.SequenceFloor, page.SequenceCeiling, page.Events.Select(e => e.Sequence).ToList());

    /// <summary>The numbers of (floor, ceiling] that are not among <paramref name="sequences"/>.</summary>
    public void Observe(long floor, long ceiling, IReadOnlyCollection<long> sequences)
    {
        if (ceiling - floor == sequences.Count) return;
        var held = sequences.ToHashSet();
        var now = clock.GetUtcNow();
        for (var sequence = floor + 1; sequence <= ceiling; sequence++)
            if (!held.Contains(sequence)) _open.TryAdd(sequence, now);
    }

    /// <summary>Forwarded, or found to be no event of this store's (a tombstone): no longer watched.</summary>
    public void Closed(IEnumerable<long> sequences)
    {
        foreach (var sequence in sequences) _open.TryRemove(sequence, out _);
    }

    /// <summary>Numbers watched for longer than the horizon, now given up: a rolled-back transaction's.</summary>
    public IReadOnlyList<long> Expire()
    {
        var before = clock.GetUtcNow() - Horizon;
        var expired = _open.Where(g => g.Value < before).Select(g => g.Key).ToList();
        Closed(expired);
        return expired;
    }
}

/// <summary>Every few seconds, forwards the events that have since appeared under the numbers <see cref="OutboxGaps"/> watches.</summary>
public sealed partial class OutboxGapSweeper(OutboxGaps gaps, IDocumentStore store, IBus bus, InfrastructureSettings settings, DepartmentName department,
    ILogger<OutboxGapSweeper> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

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
                // The numbers stay watched: the next sweep tries again.
                LogSweepFailed(logger, ex.GetType().Name);
            }
        }
    }

    public async Task SweepAsync(CancellationToken ct)
    {
        var open = gaps.Open.ToArray();
        if (open.Length == 0) return;
        var found = new List<(long Sequence, string Type)>();
        await using (var connection = store.Storage.Database.CreateConnection(Marten.Storage.ConnectionUsage.ReadWrite))
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand($"select seq_id, type from {department.Value}.mt_events where seq_id = any($1)", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = open });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) found.Add((reader.GetInt64(0), reader.GetString(1)));
        }
        var late = found.Where(f => f.Type != Tombstones.EventType).Select(f => f.Sequence).ToArray();
        if (late.Length > 0)
        {
            await using var session = store.LightweightSession(); // the primary's: a standby may not have them yet
            var events = await session.Events.QueryAllRawEvents().Where(e => e.Sequence.IsOneOf(late)).ToListAsync(ct);
            await ClinicalEventPublisher.PublishAsync(bus, events.OrderBy(e => e.Sequence).ToList(), settings.BusMessages, ct);
            LogForwardedLate(logger, late.Length);
        }
        gaps.Closed(found.Select(f => f.Sequence));
        var expired = gaps.Expire();
        if (expired.Count > 0) LogGaveUp(logger, expired.Count, gaps.Horizon.TotalMinutes);
    }

    [LoggerMessage(LogLevel.Warning, "Outbox forwarded {Count} events committed after it had moved past their sequence numbers")]
    private static partial void LogForwardedLate(ILogger logger, int count);

    [LoggerMessage(LogLevel.Information, "Outbox stopped watching {Count} sequence numbers with no event after {Minutes} minutes (rolled-back transactions)")]
    private static partial void LogGaveUp(ILogger logger, int count, double minutes);

    [LoggerMessage(LogLevel.Warning, "Outbox could not look for late events ({Error}); it tries again")]
    private static partial void LogSweepFailed(ILogger logger, string error);
}
