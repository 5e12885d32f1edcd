using System.Diagnostics;
using System.Threading.Channels;
using Marten;
using Marten.Storage;
using Npgsql;
using PatientJourney.Hosting.Telemetry;
using PatientJourney.Journey.Store;

namespace PatientJourney.Journey.Changes;

/// <summary>
/// Listens on the primary for the journeys' change notices (<see cref="ChangeNotices"/>), from whichever instance
/// recorded them, and tells this instance's open pages. With a read replica, a notice is passed on only once the
/// standby has replayed the commit (or after <see cref="StandbyPatience"/>): the page that refreshes on it reads from
/// the standby and must find what it was told of. After a lost connection every open page is told to refresh, since
/// notices sent meanwhile are gone.
/// </summary>
/// <param name="withStandby">The store reads from a standby (<see cref="StoreAndBus.EventStore.ClinicalEventStore.IsPrimaryWithStandbys"/>).</param>
public sealed partial class JourneyChangeListener(IDocumentStore store, JourneyChanges changes, ILogger<JourneyChangeListener> logger, bool withStandby) : BackgroundService
{
    /// <summary>The span of a notice told to this instance's open pages: a child of the commit that sent it, in its trace.</summary>
    public const string SpanName = "journey changes told";
    private static readonly TimeSpan StandbyPatience = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectedBefore = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(connectedBefore, () => connectedBefore = true, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogListenLost(logger, ex.GetType().Name);
                await Task.Delay(Reconnect, stoppingToken);
            }
        }
    }

    private async Task ListenAsync(bool connectedBefore, Action connected, CancellationToken ct)
    {
        await using var primary = store.Storage.Database.CreateConnection(ConnectionUsage.ReadWrite);
        await primary.OpenAsync(ct);
        var received = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        primary.Notification += (_, notice) => received.Writer.TryWrite(notice.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {ChangeNotices.Channel}", primary)) await listen.ExecuteNonQueryAsync(ct);
        connected();
        if (connectedBefore) changes.RecordedAll();
        await using var standby = new StandbyReplay(store, withStandby);
        try
        {
            await TellAsync(primary, received.Reader, standby, ct);
        }
        finally
        {
            // The pool keeps the connection (the stores skip DISCARD ALL): it must not go on receiving notices.
            if (primary.State == System.Data.ConnectionState.Open)
            {
                await using var unlisten = new NpgsqlCommand("UNLISTEN *", primary);
                await unlisten.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
    }

    private async Task TellAsync(NpgsqlConnection primary, ChannelReader<string> received, StandbyReplay standby, CancellationToken ct)
    {
        while (true)
        {
            await primary.WaitAsync(ct);
            var notices = new List<ChangeNotice>();
            while (received.TryRead(out var payload))
                if (ChangeNotices.Parse(payload) is { } notice) notices.Add(notice);
            if (notices.Count == 0) continue;
            await standby.WaitForAsync(primary, StandbyPatience, ct);
            foreach (var notice in notices)
            {
                using var told = ActivityContext.TryParse(notice.TraceParent, null, out var parent)
                    ? PatientJourneyTelemetry.Source.StartActivity(SpanName, ActivityKind.Consumer, parent) : null;
                told?.SetTag("patientjourney.changes", notice.Changes.Count);
                foreach (var (patientId, version) in notice.Changes) changes.Recorded(patientId, version);
            }
        }
    }

    /// <summary>The standby the read routes use, if the store has one: how far it has replayed the primary's WAL.</summary>
    private sealed class StandbyReplay(IDocumentStore store, bool configured) : IAsyncDisposable
    {
        private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(5);
        private NpgsqlConnection? _standby;

        public async Task WaitForAsync(NpgsqlConnection primary, TimeSpan patience, CancellationToken ct)
        {
            if (!configured) return;
            try
            {
                if (_standby is null)
                {
                    _standby = store.Storage.Database.CreateConnection(ConnectionUsage.Read);
                    await _standby.OpenAsync(ct);
                    await using var recovering = new NpgsqlCommand("select pg_is_in_recovery()", _standby);
                    // No standby up: reads go to the primary, which has it all; the next notice looks for a standby again.
                    if (!(bool)(await recovering.ExecuteScalarAsync(ct))!)
                    {
                        await DropAsync();
                        return;
                    }
                }
                await using var current = new NpgsqlCommand("select pg_current_wal_lsn()::text", primary);
                var target = (string)(await current.ExecuteScalarAsync(ct))!;
                var started = Stopwatch.GetTimestamp();
                await using var replayed = new NpgsqlCommand("select pg_last_wal_replay_lsn() >= $1::pg_lsn", _standby) { Parameters = { new() { Value = target } } };
                while (!(bool)(await replayed.ExecuteScalarAsync(ct))! && Stopwatch.GetElapsedTime(started) < patience) await Task.Delay(Poll, ct);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException && !ct.IsCancellationRequested)
            {
                // A standby that went away: the notice goes out now, and the next one opens the standby anew.
                await DropAsync();
            }
        }

        private async Task DropAsync()
        {
            if (_standby is not null) await _standby.DisposeAsync();
            _standby = null;
        }

        public ValueTask DisposeAsync() => _standby?.DisposeAsync() ?? ValueTask.CompletedTask;
    }

    [LoggerMessage(LogLevel.Warning, "Lost the journeys' change notices ({Error}); listening again, and every open page is told to refresh")]
    private static partial void LogListenLost(ILogger logger, string error);
}
