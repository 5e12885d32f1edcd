using System.Diagnostics;
using System.Text;
using Npgsql;
using PatientJourney.Harness;

namespace PatientJourney.Chaos;

public sealed record ChaosOptions
{
    public int Events { get; init; } = 20_000;
    public int Concurrency { get; init; } = 24;
    public int Seed { get; init; } = 1;
    /// <summary>Seconds between faults: a random pause in [Min, 2 × Min].</summary>
    public double FaultIntervalSeconds { get; init; } = 3;
    public bool Keep { get; init; }
    /// <summary>The four departments in one process (services/Departments): a kill -9 takes all four at once.</summary>
    public bool DepartmentsInOneProcess { get; init; }
    public TextWriter Log { get; init; } = Console.Out;
}

public sealed record ChaosSummary(
    int EventsAccepted, int Delivered, int Duplicates, int Lost, int Unexpected, int Refused, int Retries,
    IReadOnlyDictionary<string, int> Faults, int PatientsRebuilt, bool ProjectionsEqualRebuild, int ChainsAltered, TimeSpan Duration)
{
    public bool Passed => Lost == 0 && Duplicates == 0 && Unexpected == 0 && Refused == 0 && ProjectionsEqualRebuild && ChainsAltered == 0;

    /// <summary>What every chaos run counts, its labels padded to <paramref name="width"/>.</summary>
    public static void AppendDelivery(StringBuilder text, int width, int accepted, int delivered, int duplicates, int lost, int unexpected, int refused, int retries)
    {
        foreach (var (label, value) in new[] { ("events accepted (202)", accepted), ("delivered to the journey", delivered), ("duplicates", duplicates),
                     ("lost", lost), ("unexpected in the journey", unexpected), ("requests refused (4xx)", refused), ("request retries", retries) })
            text.AppendLine($"{(label + ":").PadRight(width)}{value:N0}");
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        AppendDelivery(text, 27, EventsAccepted, Delivered, Duplicates, Lost, Unexpected, Refused, Retries);
        text.AppendLine($"faults injected:           {Faults.Values.Sum()} ({string.Join(", ", Faults.OrderBy(f => f.Key).Select(f => $"{f.Key} {f.Value}"))})");
        text.AppendLine($"projections equal rebuild: {(ProjectionsEqualRebuild ? "yes" : "NO")} ({PatientsRebuilt:N0} patients)");
        text.AppendLine($"hash chains altered:       {ChainsAltered}");
        text.Append($"duration:                  {Duration.TotalSeconds:F0} s ({EventsAccepted / Duration.TotalSeconds:F0} events/s including faults and delivery)");
        return text.ToString();
    }
}

/// <summary>
/// Drives patients through the department APIs of real, separately running services while killing (-9) and
/// restarting each of them, restarting RabbitMQ and restarting PostgreSQL; then checks that every event accepted with
/// a 202 is in the journey exactly once and that the journey's read models equal a rebuild from its events.
/// </summary>
public static class ChaosRun
{
    public static async Task<ChaosSummary> RunAsync(ChaosOptions options, CancellationToken ct = default)
    {
        var started = Stopwatch.StartNew();
        await using var deployment = await ProcessDeployment.CreateAsync("pj_chaos", options.Keep);
        options.Log.WriteLine($"chaos: database and vhost {deployment.Name}, logs in {deployment.LogDirectory}");

        var processes = deployment.ServiceProcesses(options.DepartmentsInOneProcess);
        try
        {
            await ProcessDeployment.StartAsync(processes);

            var patients = Math.Max(1, options.Events / Workload.EventsPerPatient);
            var client = new DepartmentClient(ProcessDeployment.DepartmentAddresses(processes), d => deployment.DepartmentToken("chaos", d));
            var workload = Task.Run(() => Parallel.ForEachAsync(Enumerable.Range(1, patients),
                new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = ct },
                async (n, token) =>
                {
                    foreach (var request in Workload.ForPatient(n, deployment.Name)) await client.SendUntilAcceptedAsync(request, token);
                }), ct);

            var faults = await InjectFaultsAsync(processes, workload, options, ct);
            await workload;
            options.Log.WriteLine($"chaos: {client.Accepted.Count:N0} events accepted, {faults.Values.Sum()} faults; waiting for delivery");

            foreach (var process in processes.Values.Where(p => !p.IsRunning)) process.Start();
            foreach (var process in processes.Values) await process.WaitReadyAsync(TimeSpan.FromSeconds(120));
            var journey = processes[ServiceCatalog.Journey.Name];
            var checks = new JourneyChecks(deployment, journey.BaseAddress);
            await checks.WaitForDeliveryAsync(TimeSpan.FromMinutes(5), ct);
            // Nothing new may arrive while we compare; the journey stays up to rebuild and verify through its API.
            foreach (var process in processes.Values.Where(p => p != journey)) process.Kill();

            var counts = await checks.CountAsync(client.Accepted.Values.ToHashSet(), ct);
            var (rebuilt, equal, altered) = await checks.CompareWithRebuildAsync(ct);
            return new ChaosSummary(client.Accepted.Count, counts.Delivered, counts.Duplicates, counts.Lost, counts.Unexpected, client.Refused, client.Retries,
                faults, rebuilt, equal, altered, started.Elapsed);
        }
        finally
        {
            foreach (var process in processes.Values) process.Dispose();
        }
    }

    /// <summary>
    /// Faults at random moments, drawn from a shuffled bag so that every kind happens; runs until the workload is done
    /// and every kind happened.
    /// </summary>
    private static async Task<Dictionary<string, int>> InjectFaultsAsync(
        IReadOnlyDictionary<string, ServiceProcess> processes, Task workload, ChaosOptions options, CancellationToken ct)
    {
        var random = new Random(options.Seed);
        string[] kinds = [.. processes.Keys.Select(s => "kill -9 " + s.ToLowerInvariant()), "restart rabbitmq", "restart postgresql"];
        var injected = kinds.ToDictionary(k => k, _ => 0);
        var bag = new Queue<string>();
        while (!workload.IsCompleted || injected.Values.Any(v => v == 0))
        {
            await Task.WhenAny(workload, Task.Delay(TimeSpan.FromSeconds(options.FaultIntervalSeconds * (1 + random.NextDouble())), ct));
            if (workload.IsFaulted) break;
            if (bag.Count == 0) foreach (var k in kinds.OrderBy(_ => random.Next())) bag.Enqueue(k);
            var fault = bag.Dequeue();
            options.Log.WriteLine($"chaos: {DateTime.UtcNow:HH:mm:ss} {fault}");
            switch (fault)
            {
                case "restart rabbitmq":
                    await RunAsync("rabbitmqctl", "-q", "stop_app");
                    await Task.Delay(TimeSpan.FromSeconds(1 + random.NextDouble() * 2), ct);
                    await RunAsync("rabbitmqctl", "-q", "start_app");
                    break;
                case "restart postgresql":
                    await RestartPostgresAsync();
                    NpgsqlConnection.ClearAllPools();
                    break;
                default:
                    var process = processes.Values.Single(p => fault == "kill -9 " + p.Name.ToLowerInvariant());
                    process.Kill();
                    await Task.Delay(TimeSpan.FromSeconds(0.5 + random.NextDouble() * 1.5), ct);
                    process.Start();
                    break;
            }
            injected[fault]++;
        }
        return injected;
    }

    private static async Task RestartPostgresAsync()
    {
        var cluster = (await RunAsync("pg_lsclusters", "-h")).Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        await RunAsync("pg_ctlcluster", cluster[0], cluster[1], "restart");
    }

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', arguments)}: {await errors}");
        return await output;
    }
}
