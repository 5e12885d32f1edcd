using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PatientJourney.Benchmarks.Baselines;
using PatientJourney.Hosting;
using PatientJourney.StoreAndBus;
using PatientJourney.Contracts;
using PatientJourney.Harness;

namespace PatientJourney.Benchmarks.Pipeline;

public sealed record PipelineOptions
{
    public int Clients { get; init; } = 64;
    /// <summary>Entries per <c>POST /batch</c> at saturation (a patient each); 1 posts every request on its own.</summary>
    public int Batch { get; init; } = 1;
    public TimeSpan Saturation { get; init; } = TimeSpan.FromSeconds(60);
    public int OfferedPerSecond { get; init; } = 500;
    public TimeSpan Offered { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>The offered load (same rate, same door) before anything is measured: freshly started services spend much of
    /// the machine on tier-up compilation for their first 30-60 s (minutes with dynamic PGO), which is start-up, not the
    /// pipeline's cost (the report's JIT row shows what is left of it in each phase).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(40);
    /// <summary>How long the bare endpoint is driven, and how many messages and rows the raw broker and COPY baselines move.</summary>
    public TimeSpan BaselineDuration { get; init; } = TimeSpan.FromSeconds(15);
    public int BaselineItems { get; init; } = 100_000;
    public bool Keep { get; init; }
    /// <summary>Scaled out as `./run.sh --cluster` runs (<see cref="ScaleOutDeployment"/>): three journeys, two departments'
    /// hosts, a RabbitMQ cluster of three and a PostgreSQL standby, on servers of the run's own.</summary>
    public bool Cluster { get; init; }

    /// <summary>
    /// The four departments in one process (services/Departments), the deployment for a small machine: on two cores it
    /// carried more events than a process each, at a third of the memory (measured in docs/benchmarks-history.md,
    /// "the four departments in one process").
    /// </summary>
    public bool DepartmentsInOneProcess { get; init; } = true;
    public TextWriter Output { get; init; } = Console.Out;
}

/// <summary>202 → visible in the journey, for the events of one phase.</summary>
public sealed record Latency(int Events, double P50, double P95, double P99, double Max, IReadOnlyList<(DateTime Second, int Events)> SlowSeconds)
{
    /// <summary>What the goal allows from 202 to visible; the seconds in which slower events were accepted are listed.</summary>
    public const double GoalMilliseconds = 250;

    public static Latency Of(IReadOnlyDictionary<Guid, long> accepted, IReadOnlyDictionary<Guid, long> visible)
    {
        var timed = accepted.Select(a => (At: a.Value, Ms: visible.TryGetValue(a.Key, out var seen) ? Math.Max(0, Stopwatch.GetElapsedTime(a.Value, seen).TotalMilliseconds) : double.PositiveInfinity)).ToList();
        var ms = timed.Select(t => t.Ms).Order().ToList();
        // Wall-clock seconds, to be laid beside PostgreSQL's log (autovacuum, checkpoints) and the services' logs.
        var (wall, ticks) = (DateTime.UtcNow, Stopwatch.GetTimestamp());
        var slow = timed.Where(t => t.Ms > GoalMilliseconds)
            .GroupBy(t => { var at = wall - Stopwatch.GetElapsedTime(t.At, ticks); return at.AddTicks(-(at.Ticks % TimeSpan.TicksPerSecond)); })
            .Select(g => (g.Key, g.Count())).OrderByDescending(g => g.Item2).Take(5).ToList();
        return ms.Count == 0 ? new Latency(0, 0, 0, 0, 0, []) : new Latency(ms.Count, P(ms, 0.50), P(ms, 0.95), P(ms, 0.99), ms[^1], slow);
    }

    public static double P(IReadOnlyList<double> sorted, double q) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
}

public sealed record PhaseFigures(string Name, LoadFigures Load, long EventsAccepted, long EventsDelivered, TimeSpan Window, Latency Latency, TimeSpan Drain,
    IReadOnlyList<(double Accepted, double Delivered)> EveryTenSeconds, IReadOnlyDictionary<string, double> CpuSeconds)
{
    public double AcceptedPerSecond => EventsAccepted / Window.TotalSeconds;
    public double DeliveredPerSecond => EventsDelivered / Window.TotalSeconds;
    public double Cores(string process) => CpuSeconds.GetValueOrDefault(process) / Window.TotalSeconds;
    /// <summary>CPU a process spent per event accepted in the phase: what an event costs, whatever the load.</summary>
    public double CpuMillisecondsPerEvent(string process) => EventsAccepted == 0 ? 0 : CpuSeconds.GetValueOrDefault(process) * 1000 / EventsAccepted;
}

public sealed record PipelineFigures(
    BaselineResult BareHttp, BaselineResult RawBroker, BaselineResult RawCopy,
    PhaseFigures Offered, PhaseFigures Saturation, IReadOnlyDictionary<string, double> PeakRssMegabytes)
{
    public BaselineResult SlowestRawStage => new[] { BareHttp, RawBroker, RawCopy }.MinBy(b => b.PerSecond)!;
    /// <summary>End to end: events into the journey a second while the departments were saturated.</summary>
    public double EndToEndPerSecond => Saturation.DeliveredPerSecond;
}

/// <summary>
/// The whole pipeline on this machine against the raw limits of its parts, measured in the same run: a bare ASP.NET Core
/// endpoint driven by the same client, raw RabbitMQ.Client publish-with-confirms + consume, raw Npgsql binary COPY; then
/// the five services as separate processes with a fixed offered load and at saturation.
/// </summary>
public static class PipelineBenchmark
{
    /// <summary>With batches, the offered load goes out as one batch per department this often (what became due since).</summary>
    public static readonly TimeSpan OfferedBatchTick = TimeSpan.FromMilliseconds(100);

    public static async Task<PipelineFigures> RunAsync(PipelineOptions options, CancellationToken ct = default)
    {
        var output = options.Output;
        var infrastructure = SharedServers.Settings;
        await using var cluster = options.Cluster ? await ScaleOutDeployment.StartAsync("pj_bench", options.Keep) : null;
        await using var single = cluster is null ? await ProcessDeployment.CreateAsync("pj_bench", options.Keep) : null;
        var environment = cluster?.Deployment ?? single!;
        output.WriteLine($"bench: database and vhost {environment.Name}, service logs in {environment.LogDirectory}; "
                         + (cluster is not null ? "scaled out: 3 journeys, 2 departments' hosts, a RabbitMQ cluster of 3, a PostgreSQL standby"
                             : options.DepartmentsInOneProcess ? "the four departments in one process (services/Departments)" : "each department a process of its own"));
        output.WriteLine($"bench: huge pages: {ProcessMeter.HugePages()}");

        var (bare, broker, copy) = await BaselinesAsync(options, infrastructure, environment, ct);

        Dictionary<string, ServiceProcess> processes;
        if (cluster is not null)
        {
            cluster.AddInstances(journeys: 3, departmentHosts: 2);
            processes = cluster.All.ToDictionary(p => p.Name);
        }
        else processes = environment.ServiceProcesses(options.DepartmentsInOneProcess);
        try
        {
            IReadOnlyDictionary<string, IReadOnlyList<Uri>> departments;
            if (cluster is not null)
            {
                await cluster.StartAsync();
                departments = cluster.DepartmentAddresses();
            }
            else
            {
                await ProcessDeployment.StartAsync(processes);
                departments = ProcessDeployment.DepartmentAddresses(processes).ToDictionary(d => d.Key, d => (IReadOnlyList<Uri>)[d.Value]);
            }

            await using var watcher = new DeliveryWatcher(environment.ConnectionString);
            watcher.Start();

            var tick = options.Batch > 1 ? OfferedBatchTick : (TimeSpan?)null;
            output.WriteLine($"bench: warm-up, the offered load for {options.Warmup.TotalSeconds:F0} s");
            await PhaseAsync("warm-up", departments, environment, watcher, d => d.RunOpenAsync(options.OfferedPerSecond, options.Warmup, ct, tick), null, ct);

            var pids = processes.ToDictionary(p => p.Key, p => p.Value.ProcessId ?? 0);
            output.WriteLine($"bench: offered load, {options.OfferedPerSecond} requests/s for {options.Offered.TotalSeconds:F0} s{(options.Batch > 1 ? $", a batch per department every {OfferedBatchTick.TotalMilliseconds:F0} ms" : "")}");
            var offered = await PhaseAsync("offered", departments, environment, watcher, d => d.RunOpenAsync(options.OfferedPerSecond, options.Offered, ct, tick), pids, ct);
            output.WriteLine($"bench: {Line(offered)}");

            output.WriteLine($"bench: saturation, {options.Clients} clients for {options.Saturation.TotalSeconds:F0} s{(options.Batch > 1 ? $", batches of {options.Batch}" : "")}");
            var saturation = await PhaseAsync("saturation", departments, environment, watcher, d => options.Batch > 1
                ? d.RunClosedBatchesAsync(options.Clients, options.Batch, options.Saturation, ct)
                : d.RunClosedAsync(options.Clients, options.Saturation, ct), pids, ct);
            output.WriteLine($"bench: {Line(saturation)}");
            var rss = pids.ToDictionary(p => p.Key, p => ProcessMeter.PeakRssMegabytes(p.Value));
            return new PipelineFigures(bare, broker, copy, offered, saturation, rss);
        }
        finally
        {
            foreach (var process in processes.Values) process.Dispose();
        }
    }

    private static string Line(PhaseFigures f) =>
        $"{f.Name}: {f.AcceptedPerSecond:F0} events/s accepted, {f.DeliveredPerSecond:F0} delivered, 202→visible p50 {f.Latency.P50:F0} ms p99 {f.Latency.P99:F0} ms max {f.Latency.Max:F0} ms, drained {f.Drain.TotalSeconds:F1} s after, {f.Load.Refused} refused, {f.Load.Failed} failed, request p50 {Latency.P(f.Load.RequestMilliseconds, 0.5):F1} ms p99 {Latency.P(f.Load.RequestMilliseconds, 0.99):F1} ms"
        + (f.Latency.SlowSeconds.Count == 0 ? "" : $"; over {Latency.GoalMilliseconds:F0} ms, accepted in (UTC) {string.Join(", ", f.Latency.SlowSeconds.Select(s => $"{s.Second:HH:mm:ss} ({s.Events})"))}");

    private static async Task<PhaseFigures> PhaseAsync(
        string name, IReadOnlyDictionary<string, IReadOnlyList<Uri>> departments, ProcessDeployment environment, DeliveryWatcher watcher,
        Func<LoadDriver, Task<LoadFigures>> load, IReadOnlyDictionary<string, int>? pids, CancellationToken ct)
    {
        var cpuBefore = pids is null ? null : ProcessMeter.CpuSeconds(pids);
        var jitBefore = pids is null ? null : ProcessMeter.JitThreadSeconds(pids.Values);
        using var driver = new LoadDriver(departments, $"{name[0]}{Guid.NewGuid():N}"[..9].ToUpperInvariant(), d => environment.DepartmentToken($"bench-{d}", d));
        var acceptedBefore = await DepartmentEventsAsync(environment.ConnectionString, ct);
        var deliveredBefore = watcher.Count;
        var buckets = new List<(double, double)>();
        var window = Stopwatch.StartNew();
        var running = load(driver);
        var (lastAccepted, lastDelivered) = (acceptedBefore, deliveredBefore);
        while (!running.IsCompleted)
        {
            await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(10), ct));
            if (running.IsCompleted) break;
            var (accepted, delivered) = (await DepartmentEventsAsync(environment.ConnectionString, ct), watcher.Count);
            buckets.Add(((accepted - lastAccepted) / 10.0, (delivered - lastDelivered) / 10.0));
            (lastAccepted, lastDelivered) = (accepted, delivered);
        }
        var figures = await running;
        var elapsed = window.Elapsed;
        var cpuUsed = pids is null ? new Dictionary<string, double>()
            : ProcessMeter.CpuSeconds(pids).ToDictionary(c => c.Key, c => c.Value - cpuBefore!.GetValueOrDefault(c.Key));
        if (pids is not null) cpuUsed[ProcessMeter.Jit] = ProcessMeter.JitThreadSeconds(pids.Values).Sum(t => t.Value - jitBefore!.GetValueOrDefault(t.Key));
        var acceptedAfter = await DepartmentEventsAsync(environment.ConnectionString, ct);
        var deliveredAtEnd = watcher.Count;

        // Drain: until the journey holds every event the departments accepted.
        var drain = Stopwatch.StartNew();
        while (watcher.Count < acceptedAfter && drain.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(20, ct);
        var drained = drain.Elapsed;
        await Task.Delay(DeliveryWatcher.PollInterval * 4, ct);
        return new PhaseFigures(name, figures, acceptedAfter - acceptedBefore, deliveredAtEnd - deliveredBefore, elapsed,
            Latency.Of(driver.Accepted, watcher.Visible), drained, buckets, cpuUsed);
    }

    private static Task<long> DepartmentEventsAsync(string connectionString, CancellationToken ct) =>
        ClinicalEventStores.CountAsync(connectionString, Departments.All, ct);

    /// <summary>The raw limits, before the services start, on the same database, vhost and machine.</summary>
    private static async Task<(BaselineResult Bare, BaselineResult Broker, BaselineResult Copy)> BaselinesAsync(
        PipelineOptions options, InfrastructureSettings infrastructure, ProcessDeployment environment, CancellationToken ct)
    {
        var output = options.Output;
        var events = new List<ClinicalEvent>(options.BaselineItems);
        var random = new Random(7);
        for (var i = 0; events.Count < options.BaselineItems; i++) events.AddRange(WorklistBenchmark.Journey(i, random));
        events.RemoveRange(options.BaselineItems, events.Count - options.BaselineItems);

        var now = DateTimeOffset.UtcNow;
        var rows = events.Select((e, i) => new RawEvent(e.EventId == Guid.Empty ? Guid.CreateVersion7() : e.EventId, e.PatientId, i + 1, e.Type,
            JsonSerializer.Serialize(e, e.GetType(), JsonDefaults.Options), now)).ToList();
        var copy = await RawCopyBaseline.RunAsync(environment.ConnectionString, rows, ct);
        output.WriteLine($"bench: raw Npgsql binary COPY: {copy.PerSecond:F0} rows/s");

        // MassTransit wraps each event in an envelope (ids, addresses, message types, host); the raw payloads carry as much.
        var payloads = rows.Select(r => Encoding.UTF8.GetBytes(
            $$"""{"messageId":"{{r.Id}}","sourceAddress":"rabbitmq://localhost/bench","destinationAddress":"rabbitmq://localhost/{{r.Type}}","messageType":["urn:message:PatientJourney.Contracts:{{r.Type}}"],"message":{{r.Json}},"sentTime":"{{now:O}}","headers":{},"host":{"machineName":"bench","processName":"bench","processId":1,"assembly":"bench","assemblyVersion":"1.0.0.0","frameworkVersion":"10.0.0","massTransitVersion":"8.5.12.0","operatingSystemVersion":"Unix"} }""")).ToList();
        var broker = await RawBrokerBaseline.RunAsync(environment.Isolation.RabbitMq, payloads, ct);
        output.WriteLine($"bench: raw RabbitMQ.Client publish-with-confirms + consume: {broker.PerSecond:F0} messages/s");

        var port = ServiceProcess.FreePort();
        using var endpoint = Process.Start(new ProcessStartInfo("dotnet", [typeof(PipelineBenchmark).Assembly.Location, "bare-endpoint", "--port", port.ToString(CultureInfo.InvariantCulture)])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        try
        {
            var address = new Uri($"http://127.0.0.1:{port}");
            await WaitListeningAsync(address, ct);
            using var driver = new LoadDriver(Departments.All.ToDictionary(d => d, _ => address), "BARE", d => environment.DepartmentToken($"bench-{d}", d));
            await driver.RunClosedAsync(options.Clients, TimeSpan.FromSeconds(3), ct); // warm-up
            var load = await driver.RunClosedAsync(options.Clients, options.BaselineDuration, ct);
            var bare = new BaselineResult("bare ASP.NET Core 202", load.Accepted, load.Elapsed);
            output.WriteLine($"bench: bare ASP.NET Core 202 endpoint, same client: {bare.PerSecond:F0} requests/s");
            return (bare, broker, copy);
        }
        finally
        {
            endpoint.Kill();
            await endpoint.WaitForExitAsync(ct);
        }
    }

    private static async Task WaitListeningAsync(Uri address, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = address };
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var response = await http.PostAsync("/ping", new StringContent("{}"), ct);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100, ct);
        }
        throw new TimeoutException($"the bare endpoint did not answer on {address}");
    }

    public static string Report(PipelineFigures f, PipelineOptions options)
    {
        var text = new StringBuilder();
        string N(double v) => v.ToString("N0", CultureInfo.InvariantCulture);
        text.AppendLine($"| stage | pipeline | raw limit (same run) | ratio |");
        text.AppendLine($"|---|---|---|---|");
        text.AppendLine($"| HTTP: department 202s (events/s) vs bare ASP.NET Core 202 (requests/s) | {N(f.Saturation.AcceptedPerSecond)} | {N(f.BareHttp.PerSecond)} | {f.Saturation.AcceptedPerSecond / f.BareHttp.PerSecond:P0} |");
        text.AppendLine($"| Broker: delivered into the journey vs raw publish-with-confirms + consume (msgs/s) | {N(f.Saturation.DeliveredPerSecond)} | {N(f.RawBroker.PerSecond)} | {f.Saturation.DeliveredPerSecond / f.RawBroker.PerSecond:P0} |");
        text.AppendLine($"| Store: events stored by departments + journey vs raw binary COPY (rows/s) | {N(f.Saturation.AcceptedPerSecond + f.Saturation.DeliveredPerSecond)} | {N(f.RawCopy.PerSecond)} | {(f.Saturation.AcceptedPerSecond + f.Saturation.DeliveredPerSecond) / f.RawCopy.PerSecond:P0} |");
        text.AppendLine($"| **End to end** (delivered/s at saturation) vs slowest raw stage ({f.SlowestRawStage.Stage}) | **{N(f.EndToEndPerSecond)}** | {N(f.SlowestRawStage.PerSecond)} | **{f.EndToEndPerSecond / f.SlowestRawStage.PerSecond:P0}** |");
        text.AppendLine();
        text.AppendLine("| phase | events accepted/s | delivered/s | every 10 s (accepted/delivered) | 202→visible p50 | p95 | p99 | max | drained after | refused | failed |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var p in new[] { f.Offered, f.Saturation })
            text.AppendLine($"| {p.Name} ({(p == f.Offered ? $"{options.OfferedPerSecond} requests/s offered{(options.Batch > 1 ? " in batches" : "")}" : $"{options.Clients} clients{(options.Batch > 1 ? $", batches of {options.Batch}" : "")}")}, {p.Window.TotalSeconds:F0} s) | {N(p.AcceptedPerSecond)} | {N(p.DeliveredPerSecond)} | "
                            + string.Join(" · ", p.EveryTenSeconds.Select(b => $"{N(b.Accepted)}/{N(b.Delivered)}"))
                            + $" | {p.Latency.P50:F0} ms | {p.Latency.P95:F0} ms | {p.Latency.P99:F0} ms | {p.Latency.Max:F0} ms | {p.Drain.TotalSeconds:F1} s | {p.Load.Refused} | {p.Load.Failed} |");
        text.AppendLine();
        text.AppendLine("| process | peak RSS (MB) | cores used at saturation | CPU ms per event at saturation | CPU ms per event at the offered load |");
        text.AppendLine("|---|---|---|---|---|");
        var processes = f.Saturation.CpuSeconds.Keys.Where(k => k != ProcessMeter.Jit).ToList();
        foreach (var name in processes.OrderByDescending(f.Saturation.Cores).Append(ProcessMeter.Jit))
            text.AppendLine($"| {name} | {(f.PeakRssMegabytes.TryGetValue(name, out var rss) ? rss.ToString("F0", CultureInfo.InvariantCulture) : "")} | {f.Saturation.Cores(name):F2} | "
                            + $"{f.Saturation.CpuMillisecondsPerEvent(name):F2} | {f.Offered.CpuMillisecondsPerEvent(name):F2} |");
        text.AppendLine($"| all | | {processes.Sum(f.Saturation.Cores):F2} | {processes.Sum(f.Saturation.CpuMillisecondsPerEvent):F2} | {processes.Sum(f.Offered.CpuMillisecondsPerEvent):F2} |");
        return text.ToString();
    }
}
