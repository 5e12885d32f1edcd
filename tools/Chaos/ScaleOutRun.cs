using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using PatientJourney.Harness;
using PatientJourney.Hosting.Security;
using PatientJourney.StoreAndBus.Messaging;

namespace PatientJourney.Chaos;

public sealed record ScaleOutOptions
{
    public int Events { get; init; } = 20_000;
    public int Concurrency { get; init; } = 24;
    public int Seed { get; init; } = 1;
    /// <summary>Faults of each kind at least, spread evenly over the events accepted.</summary>
    public int FaultsPerKind { get; init; } = 10;
    public int Journeys { get; init; } = 3;
    public int DepartmentHosts { get; init; } = 2;
    public bool Keep { get; init; }
    /// <summary>Settings every instance gets besides its own (log levels to look into a failure, say).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
    public TextWriter Log { get; init; } = Console.Out;
}

public sealed record ScaleOutSummary(
    int EventsAccepted, int Delivered, int Duplicates, int Lost, int Unexpected, int Refused, int Retries,
    IReadOnlyDictionary<string, IReadOnlyList<double>> TakeoverSeconds, int PatientsOutOfOrder, bool ReplicaEqualsPrimary,
    int PatientsRebuilt, bool ProjectionsEqualRebuild, int ChainsAltered, TimeSpan Duration)
{
    public bool Passed => Lost == 0 && Duplicates == 0 && Unexpected == 0 && Refused == 0 && PatientsOutOfOrder == 0 && ReplicaEqualsPrimary
        && ProjectionsEqualRebuild && ChainsAltered == 0;

    public override string ToString()
    {
        var text = new StringBuilder();
        ChaosSummary.AppendDelivery(text, 28, EventsAccepted, Delivered, Duplicates, Lost, Unexpected, Refused, Retries);
        foreach (var (kind, times) in TakeoverSeconds.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            var sorted = times.Order().ToList();
            text.AppendLine($"{kind + ":",-32}{times.Count} faults, takeover {Describe(sorted)}");
        }
        text.AppendLine($"patients out of order:      {PatientsOutOfOrder}");
        text.AppendLine($"replica equals primary:     {(ReplicaEqualsPrimary ? "yes" : "NO")}");
        text.AppendLine($"projections equal rebuild:  {(ProjectionsEqualRebuild ? "yes" : "NO")} ({PatientsRebuilt:N0} patients)");
        text.AppendLine($"hash chains altered:        {ChainsAltered}");
        text.Append($"duration:                   {Duration.TotalSeconds:F0} s ({EventsAccepted / Duration.TotalSeconds:F0} events/s including faults and delivery)");
        return text.ToString();
    }

    private static string Describe(List<double> sorted) => sorted.Count == 0 ? "-"
        : $"min {sorted[0]:F2} s, median {sorted[sorted.Count / 2]:F2} s, max {sorted[^1]:F2} s";
}

/// <summary>
/// The scale-out chaos run: patients recorded through two instances of the departments' host while a RabbitMQ cluster of
/// three, three journey instances and a PostgreSQL primary with a streaming standby carry them, and three kinds of fault
/// strike in turn, paced by the events accepted (not by the clock): kill -9 of the RabbitMQ node leading the journey's
/// quorum queue, of a journey instance, and of the departments' instance holding outbox locks; each is restarted once
/// the others have taken over, and the time that took is measured. Then: every accepted event once in the journey, each
/// patient's journey in clinical order, the standby's read models equal to the primary's, a rebuild equal, every hash
/// chain intact.
/// </summary>
public static class ScaleOutRun
{
    public const string RabbitLeader = "kill -9 rabbitmq queue leader";
    public const string JourneyInstance = "kill -9 journey instance";
    public const string OutboxHolder = "kill -9 outbox lock holder";
    private static readonly string[] Kinds = [RabbitLeader, JourneyInstance, OutboxHolder];

    public static async Task<ScaleOutSummary> RunAsync(ScaleOutOptions options, CancellationToken ct = default)
    {
        var started = Stopwatch.StartNew();
        options.Log.WriteLine("scale-out: starting a PostgreSQL primary and standby and a RabbitMQ cluster of three");
        await using var cluster = await ScaleOutDeployment.StartAsync("pj_scale", options.Keep);
        options.Log.WriteLine($"scale-out: database and vhost {cluster.Name}, logs in {cluster.Deployment.LogDirectory}");
        cluster.AddInstances(options.Journeys, options.DepartmentHosts, options.Settings);
        await cluster.StartAsync();
        options.Log.WriteLine($"scale-out: {DateTime.UtcNow:HH:mm:ss} {options.Journeys} journeys and {options.DepartmentHosts} departments' hosts ready after {started.Elapsed.TotalSeconds:F0} s");

        var patients = Math.Max(1, options.Events / Workload.EventsPerPatient);
        var client = new DepartmentClient(cluster.DepartmentAddresses(), d => cluster.Deployment.DepartmentToken("chaos", d));
        var faults = Kinds.Length * options.FaultsPerKind;
        // Fault n strikes once (n + 1) / (faults + 1) of the events are accepted; the workload never runs more than half a
        // step past a fault that has not struck yet, so that every fault strikes under load however long the faults take.
        var step = Math.Max(1, options.Events / (faults + 1));
        var struck = 0;
        var workload = Task.Run(() => Parallel.ForEachAsync(Enumerable.Range(1, patients),
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = ct },
            async (n, token) =>
            {
                foreach (var request in Workload.ForPatient(n, cluster.Name))
                {
                    while (Volatile.Read(ref struck) < faults && client.Accepted.Count >= (Volatile.Read(ref struck) + 1) * step + step / 2)
                        await Task.Delay(20, token);
                    await client.SendUntilAcceptedAsync(request, token);
                }
            }), ct);

        var takeovers = Kinds.ToDictionary(k => k, _ => new List<double>());
        var random = new Random(options.Seed);
        var bag = new Queue<string>();
        try
        {
            for (var n = 0; n < faults; n++)
            {
                while (client.Accepted.Count < (n + 1) * step && !workload.IsCompleted) await Task.Delay(20, ct);
                if (workload.IsFaulted) break;
                if (bag.Count == 0) foreach (var kind in Kinds.OrderBy(_ => random.Next())) bag.Enqueue(kind);
                var fault = bag.Dequeue();
                var seconds = fault switch
                {
                    RabbitLeader => await KillQueueLeaderAsync(cluster, ct),
                    JourneyInstance => await KillJourneyAsync(cluster, random, ct),
                    _ => await KillOutboxHolderAsync(cluster, options.Log, ct),
                };
                takeovers[fault].Add(seconds);
                options.Log.WriteLine($"scale-out: {DateTime.UtcNow:HH:mm:ss} {client.Accepted.Count,6:N0} accepted, {fault}: taken over in {seconds:F2} s");
                Volatile.Write(ref struck, n + 1);
            }
        }
        finally
        {
            Volatile.Write(ref struck, faults);
        }
        await workload;
        options.Log.WriteLine($"scale-out: {client.Accepted.Count:N0} events accepted, {takeovers.Values.Sum(t => t.Count)} faults; waiting for delivery");

        foreach (var process in cluster.All.Where(p => !p.IsRunning)) process.Start();
        foreach (var process in cluster.All) await process.WaitReadyAsync(TimeSpan.FromSeconds(120));
        var journey = cluster.Journeys.Values.First();
        var checks = new JourneyChecks(cluster.Deployment, journey.BaseAddress);
        await checks.WaitForDeliveryAsync(TimeSpan.FromMinutes(5), ct);
        // Nothing new arrives while we compare: one journey stays up to answer, rebuild and verify.
        foreach (var process in cluster.All.Where(p => p != journey)) process.Kill();

        options.Log.WriteLine($"scale-out: {DateTime.UtcNow:HH:mm:ss} delivered; checking");
        var counts = await checks.CountAsync(client.Accepted.Values.ToHashSet(), ct);
        var outOfOrder = await PatientsOutOfOrderAsync(cluster, journey.BaseAddress, patients, ct);
        await cluster.WaitForStandbyAsync(TimeSpan.FromMinutes(1));
        NpgsqlConnection.ClearAllPools();
        var replicaEqual = await ReadModelSnapshot.TakeAsync(cluster.ConnectionString) == await ReadModelSnapshot.TakeAsync(cluster.StandbyConnectionString);
        var (rebuilt, equal, altered) = await checks.CompareWithRebuildAsync(ct);
        return new ScaleOutSummary(client.Accepted.Count, counts.Delivered, counts.Duplicates, counts.Lost, counts.Unexpected, client.Refused, client.Retries,
            takeovers.ToDictionary(t => t.Key, t => (IReadOnlyList<double>)t.Value), outOfOrder, replicaEqual, rebuilt, equal, altered, started.Elapsed);
    }

    /// <summary>The node leading the journey's queue, killed; taken over when another node leads it. Then restarted.</summary>
    private static async Task<double> KillQueueLeaderAsync(ScaleOutDeployment cluster, CancellationToken ct)
    {
        var leader = await cluster.Rabbit.LeaderOfQueueAsync(cluster.Name, BrokerAccounts.JourneyQueue)
            ?? throw new InvalidOperationException("the journey's queue has no leader");
        var node = cluster.Rabbit.NodeNames.ToList().IndexOf(leader);
        var killed = Stopwatch.StartNew();
        await cluster.Rabbit.KillNodeAsync(node);
        while (true)
        {
            try
            {
                if (await cluster.Rabbit.LeaderOfQueueAsync(cluster.Name, BrokerAccounts.JourneyQueue) is { } now && now != leader) break;
            }
            catch (HttpRequestException) { /* the management API of the node asked went with it: ask again */ }
            if (killed.Elapsed > TimeSpan.FromMinutes(2)) throw new TimeoutException("no new leader for the journey's queue");
            await Task.Delay(50, ct);
        }
        var seconds = killed.Elapsed.TotalSeconds;
        await cluster.Rabbit.StartNodeAsync(node);
        return seconds;
    }

    /// <summary>A journey instance killed; taken over when the journey records an event again. Then restarted.</summary>
    private static async Task<double> KillJourneyAsync(ScaleOutDeployment cluster, Random random, CancellationToken ct)
    {
        var running = cluster.Journeys.Values.Where(p => p.IsRunning).ToList();
        var victim = running[random.Next(running.Count)];
        var before = await JourneyEventsAsync(cluster, ct);
        var killed = Stopwatch.StartNew();
        victim.Kill();
        while (await JourneyEventsAsync(cluster, ct) <= before && killed.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(20, ct);
        var seconds = killed.Elapsed.TotalSeconds;
        victim.Start();
        await victim.WaitReadyAsync(TimeSpan.FromSeconds(120));
        return seconds;
    }

    /// <summary>
    /// The departments' instance holding the most outbox locks, killed; taken over when another instance holds as many.
    /// An outbox lock is a session-level advisory lock held by a session outside any transaction (a stream's lock lives in
    /// its transaction), named by the instance's application_name. Then restarted.
    /// </summary>
    private static async Task<double> KillOutboxHolderAsync(ScaleOutDeployment cluster, TextWriter log, CancellationToken ct)
    {
        var holders = await OutboxLocksAsync(cluster, ct);
        var (victimName, held) = holders.Where(h => cluster.DepartmentHosts.ContainsKey(h.Key)).MaxBy(h => h.Value);
        var victim = cluster.DepartmentHosts[victimName ?? throw new InvalidOperationException("no departments' instance holds an outbox lock")];
        var killed = Stopwatch.StartNew();
        victim.Kill();
        while (killed.Elapsed < TimeSpan.FromMinutes(2))
        {
            var now = await OutboxLocksAsync(cluster, ct);
            if (now.Where(h => h.Key != victimName).Sum(h => h.Value) >= held + holders.Where(h => h.Key != victimName).Sum(h => h.Value)) break;
            await Task.Delay(20, ct);
        }
        var seconds = killed.Elapsed.TotalSeconds;
        // Not taken over: who holds advisory locks now, and in what state, for whoever reads the run's log.
        if (killed.Elapsed >= TimeSpan.FromMinutes(2))
            log.WriteLine($"scale-out: outbox locks of {victimName} ({held}) not taken over; advisory locks now: " + string.Join("; ", await QueryAsync(cluster, """
                select coalesce(a.application_name, '?') || ' ' || coalesce(a.state, '?') || (case when a.backend_xid is null then '' else ' in a transaction' end) || ': ' || count(*)
                from pg_locks l join pg_stat_activity a on a.pid = l.pid
                where l.locktype = 'advisory' and l.granted and a.datname = current_database() group by a.application_name, a.state, a.backend_xid is null
                """, reader => reader.GetString(0), ct)));
        victim.Start();
        await victim.WaitReadyAsync(TimeSpan.FromSeconds(120));
        return seconds;
    }

    private static async Task<Dictionary<string, int>> OutboxLocksAsync(ScaleOutDeployment cluster, CancellationToken ct) =>
        await QueryAsync(cluster, """
            select a.application_name, count(*)::int from pg_locks l join pg_stat_activity a on a.pid = l.pid
            where l.locktype = 'advisory' and l.granted and a.datname = current_database() and a.backend_xid is null and a.state = 'idle'
            group by a.application_name
            """, reader => (reader.GetString(0), reader.GetInt32(1)), ct) is var rows ? rows.ToDictionary(r => r.Item1, r => r.Item2) : [];

    private static async Task<long> JourneyEventsAsync(ScaleOutDeployment cluster, CancellationToken ct) =>
        (await QueryAsync(cluster, $"select count(*) from {ClinicalEventStores.JourneySchema}.mt_events", reader => reader.GetInt64(0), ct)).Single();

    private static async Task<List<T>> QueryAsync<T>(ScaleOutDeployment cluster, string sql, Func<NpgsqlDataReader, T> row, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct)) rows.Add(row(reader));
        return rows;
    }

    /// <summary>Patients whose journey, as the journey serves it, is not in clinical order (by the day each fact happened).</summary>
    private static async Task<int> PatientsOutOfOrderAsync(ScaleOutDeployment cluster, Uri journey, int patients, CancellationToken ct)
    {
        using var reader = AuthenticatedClient.Create(journey, cluster.Deployment.Token("chaos", Roles.Clinician), TimeSpan.FromSeconds(30));
        var outOfOrder = 0;
        for (var n = 1; n <= patients; n++)
        {
            var entries = (await reader.GetFromJsonAsync<JsonObject>($"/patients/{Workload.PatientId(n)}/journey", ct))!["entries"]!.AsArray();
            var days = entries.Select(e => (string)e!["occurredOn"]!).ToList();
            if (!days.SequenceEqual(days.Order(StringComparer.Ordinal))) outOfOrder++;
        }
        return outOfOrder;
    }
}
