using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;
using PatientJourney.StoreAndBus.EventStore;
using PatientJourney.Journey.Store;

namespace PatientJourney.Benchmarks.Pipeline;

/// <summary>
/// Notes when each event becomes visible in the journey: the event, the patient's read models and the chain link
/// commit in one transaction, so the event row showing up is the read model showing it. Polls the journey's events by
/// sequence every few milliseconds (the poll interval bounds the error of each figure).
/// </summary>
public sealed class DeliveryWatcher(string connectionString) : IAsyncDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);
    private readonly CancellationTokenSource _stop = new();
    private Task? _polling;
    private long _lastSequence;
    private long _count;

    /// <summary>eventId → Stopwatch timestamp at which the journey was seen holding it.</summary>
    public ConcurrentDictionary<Guid, long> Visible { get; } = new();
    public long Count => Interlocked.Read(ref _count);

    public void Start() => _polling = Task.Run(() => PollAsync(_stop.Token));

    private async Task PollAsync(CancellationToken ct)
    {
        // Sequence numbers are taken before commit, so a batch can become visible after a later one: numbers skipped
        // over are asked for again until they show up (or, after a minute, are taken for rolled back).
        var missing = new Dictionary<long, long>();
        await using var connection = new NpgsqlConnection(connectionString);
        NpgsqlCommand? command = null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (connection.State != System.Data.ConnectionState.Open)
                {
                    await connection.OpenAsync(ct);
                    // The journey's table grows faster than autovacuum analyses it: with statistics a few seconds old the
                    // planner took "seq_id > @last" for thousands of rows and scanned the table in parallel (30-37 ms
                    // instead of 0.2, 6.2 ms a poll on average over a run, a third of a core of PostgreSQL's): the
                    // measurement was loading the cores it measures. This session only ever wants the index.
                    if (command is not null) await command.DisposeAsync();
                    await using (var settings = new NpgsqlCommand("set enable_seqscan = off", connection)) await settings.ExecuteNonQueryAsync(ct);
                    // Two index scans rather than one "> @last or = any(@missing)" (1.55 ms a poll), prepared once.
                    command = new NpgsqlCommand($"""
                        (select seq_id, id, type from {JourneyStore.Schema}.mt_events where seq_id > @last order by seq_id limit 20000)
                        union all
                        select seq_id, id, type from {JourneyStore.Schema}.mt_events where seq_id = any(@missing)
                        order by seq_id
                        """, connection);
                    command.Parameters.Add(new NpgsqlParameter<long>("last", 0L));
                    command.Parameters.Add(new NpgsqlParameter<long[]>("missing", []));
                    await command.PrepareAsync(ct);
                }
                ((NpgsqlParameter<long>)command!.Parameters["last"]).TypedValue = _lastSequence;
                ((NpgsqlParameter<long[]>)command.Parameters["missing"]).TypedValue = missing.Keys.ToArray();
                var rows = 0;
                await using (var reader = await command.ExecuteReaderAsync(ct))
                {
                    var now = Stopwatch.GetTimestamp();
                    while (await reader.ReadAsync(ct))
                    {
                        rows++;
                        var sequence = reader.GetInt64(0);
                        if (sequence > _lastSequence)
                        {
                            for (var skipped = _lastSequence + 1; skipped < sequence; skipped++) missing[skipped] = now;
                            _lastSequence = sequence;
                        }
                        else missing.Remove(sequence);
                        if (reader.GetString(2) != Tombstones.EventType && Visible.TryAdd(reader.GetGuid(1), now)) Interlocked.Increment(ref _count);
                    }
                }
                foreach (var old in missing.Where(m => Stopwatch.GetElapsedTime(m.Value) > TimeSpan.FromMinutes(1)).Select(m => m.Key).ToList()) missing.Remove(old);
                if (rows < 20000) await Task.Delay(PollInterval, ct);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                await connection.CloseAsync(); // the journey has not created its tables yet: prepared again once it has
                await Task.Delay(200, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        }
        if (command is not null) await command.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_polling is not null) await _polling;
    }
}

/// <summary>CPU time and peak memory of the processes on the machine, read from /proc: the profile of a run.</summary>
public static class ProcessMeter
{
    /// <summary>CPU seconds so far of each named process group: the given service processes, PostgreSQL, RabbitMQ, this benchmark.</summary>
    public static Dictionary<string, double> CpuSeconds(IReadOnlyDictionary<string, int> services)
    {
        var byPid = services.ToDictionary(s => s.Value, s => s.Key);
        var totals = new Dictionary<string, double>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || Stat(dir) is not var (comm, cpu)) continue;
            var name = byPid.TryGetValue(pid, out var service) ? service
                : pid == Environment.ProcessId ? "benchmark client"
                : comm == "postgres" ? "PostgreSQL"
                : comm is "beam.smp" or "erl_child_setup" or "epmd" or "inet_gethost" ? "RabbitMQ"
                : null;
            if (name is null) continue;
            totals[name] = totals.GetValueOrDefault(name) + cpu;
        }
        return totals;
    }

    /// <summary>
    /// The machine's huge pages (from /proc/meminfo): PostgreSQL's shared memory sits in them when infra/up.sh could
    /// reserve them, and PostgreSQL spends much less CPU per event in them, so a run with them is not comparable with one
    /// without (measured in docs/benchmarks-history.md, "PostgreSQL in huge pages").
    /// </summary>
    public static string HugePages()
    {
        try
        {
            var info = File.ReadLines("/proc/meminfo").Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
                .ToDictionary(p => p[0], p => p[1].Trim());
            long Value(string key) => info.TryGetValue(key, out var v) && long.TryParse(v.Split(' ')[0], out var n) ? n : 0;
            var total = Value("HugePages_Total");
            return total == 0 ? "none reserved (PostgreSQL's shared memory in 4 KB pages)"
                : $"{total} of {Value("Hugepagesize") / 1024} MB reserved, {total - Value("HugePages_Free") + Value("HugePages_Rsvd")} in use or promised (PostgreSQL's shared memory)";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>The services' tier-up compilation, a part of their CPU counted again on its own (start-up, not what an event
    /// costs). Its threads end when idle and take their time with them, so over a phase this is a lower bound.</summary>
    public const string Jit = "of which the services' JIT";

    /// <summary>CPU seconds so far of each of the services' tier-up compilation threads, by thread id.</summary>
    public static Dictionary<int, double> JitThreadSeconds(IEnumerable<int> services)
    {
        var seconds = new Dictionary<int, double>();
        foreach (var pid in services)
        {
            IEnumerable<string> threads;
            try { threads = Directory.EnumerateDirectories($"/proc/{pid}/task").ToList(); } catch (IOException) { continue; }
            foreach (var thread in threads)
                if (Stat(thread) is var (comm, cpu) && comm.StartsWith(".NET Tiered Com", StringComparison.Ordinal))
                    seconds[int.Parse(Path.GetFileName(thread))] = cpu;
        }
        return seconds;
    }

    /// <summary>A process's or thread's name and CPU seconds (user + system) from its <c>stat</c>; null once it has ended.</summary>
    private static (string Comm, double CpuSeconds)? Stat(string directory)
    {
        string stat;
        try { stat = File.ReadAllText(Path.Combine(directory, "stat")); } catch (IOException) { return null; } catch (UnauthorizedAccessException) { return null; }
        var close = stat.LastIndexOf(')');
        var fields = stat[(close + 2)..].Split(' ');
        const double ticks = 100.0; // USER_HZ on Linux
        return (stat[(stat.IndexOf('(') + 1)..close], (double.Parse(fields[11]) + double.Parse(fields[12])) / ticks);
    }

    /// <summary>Peak resident memory (VmHWM) of a process, in MB.</summary>
    public static double PeakRssMegabytes(int pid) => StatusKilobytes(pid, "VmHWM:") / 1024.0;

    public static double RssMegabytes(int pid) => StatusKilobytes(pid, "VmRSS:") / 1024.0;

    private static long StatusKilobytes(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[field.Length..].Trim().Split(' ')[0]);
        }
        catch (IOException) { return 0; }
    }
}
