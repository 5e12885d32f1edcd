using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.Configuration;
using Npgsql;
using PatientJourney.BuildingBlocks;
using PatientJourney.BuildingBlocks.EventStore;
using PatientJourney.BuildingBlocks.Security;
using PatientJourney.Contracts;
using PatientJourney.Journey;
using PatientJourney.Journey.Audit;
using PatientJourney.Journey.Projections;
using PatientJourney.Journey.Store;

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

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"events accepted (202):     {EventsAccepted:N0}");
        text.AppendLine($"delivered to the journey:  {Delivered:N0}");
        text.AppendLine($"duplicates:                {Duplicates:N0}");
        text.AppendLine($"lost:                      {Lost:N0}");
        text.AppendLine($"unexpected in the journey: {Unexpected:N0}");
        text.AppendLine($"requests refused (4xx):    {Refused:N0}");
        text.AppendLine($"request retries:           {Retries:N0}");
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
        var infrastructure = InfrastructureSettings.From(new ConfigurationBuilder().AddEnvironmentVariables().Build());
        await using var environment = await ChaosEnvironment.CreateAsync(infrastructure, options.Keep);
        options.Log.WriteLine($"chaos: database and vhost {environment.Name}, logs in {environment.LogDirectory}");

        var processes = environment.ServiceProcesses(options.DepartmentsInOneProcess);
        try
        {
            await ChaosEnvironment.StartAsync(processes);

            var patients = Math.Max(1, options.Events / Workload.EventsPerPatient);
            var client = new DepartmentClient(ChaosEnvironment.DepartmentAddresses(processes), d => environment.DepartmentToken("chaos", d));
            var workload = Task.Run(() => Parallel.ForEachAsync(Enumerable.Range(1, patients),
                new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = ct },
                async (n, token) =>
                {
                    foreach (var request in Workload.ForPatient(n, environment.Name)) await client.SendUntilAcceptedAsync(request, token);
                }), ct);

            var faults = await InjectFaultsAsync(processes, workload, options, ct);
            await workload;
            options.Log.WriteLine($"chaos: {client.Accepted.Count:N0} events accepted, {faults.Values.Sum()} faults; waiting for delivery");

            foreach (var process in processes.Values.Where(p => !p.IsRunning)) process.Start();
            foreach (var process in processes.Values) await process.WaitReadyAsync(TimeSpan.FromSeconds(120));
            await environment.WaitForDeliveryAsync(TimeSpan.FromMinutes(5), ct);
            foreach (var process in processes.Values) process.Kill(); // nothing may write while we compare

            var counts = await environment.CountAsync(client.Accepted.Values.ToHashSet(), ct);
            var (rebuilt, equal, altered) = await environment.CompareWithRebuildAsync(ct);
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
                    await Infrastructure.RunAsync("rabbitmqctl", "-q", "stop_app");
                    await Task.Delay(TimeSpan.FromSeconds(1 + random.NextDouble() * 2), ct);
                    await Infrastructure.RunAsync("rabbitmqctl", "-q", "start_app");
                    break;
                case "restart postgresql":
                    await Infrastructure.RestartPostgresAsync();
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
}

/// <summary>Posts each request until it is accepted, with the same Idempotency-Key every time, through kills and restarts.</summary>
public sealed class DepartmentClient
{
    private readonly Dictionary<string, HttpClient> _clients;
    private int _retries;
    private int _refused;

    public DepartmentClient(IReadOnlyDictionary<string, Uri> departments, Func<string, string> tokenFor) =>
        _clients = departments.ToDictionary(d => d.Key, d => new HttpClient
        {
            BaseAddress = d.Value,
            Timeout = TimeSpan.FromSeconds(20),
            DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", tokenFor(d.Key)) },
        });

    /// <summary>Idempotency-Key → the eventId its 202 named.</summary>
    public ConcurrentDictionary<string, Guid> Accepted { get; } = new();
    public int Retries => _retries;
    public int Refused => _refused;

    public async Task SendUntilAcceptedAsync(ChaosRequest request, CancellationToken ct)
    {
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var message = new HttpRequestMessage(HttpMethod.Post, request.Path) { Content = JsonContent.Create(request.Body) };
                message.Headers.Add("Idempotency-Key", request.IdempotencyKey);
                using var response = await _clients[request.Department].SendAsync(message, ct);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    var accepted = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
                    Accepted[request.IdempotencyKey] = Guid.Parse((string)accepted!["eventId"]!);
                    return;
                }
                if ((int)response.StatusCode is >= 400 and < 500 and not 408 and not 429)
                {
                    Interlocked.Increment(ref _refused);
                    Console.Error.WriteLine($"chaos: {request.Path} refused {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested) { /* the service is down: retry */ }

            if (DateTime.UtcNow > until) throw new TimeoutException($"{request.Path} not accepted within 5 minutes");
            Interlocked.Increment(ref _retries);
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * attempt)), ct);
        }
    }
}

/// <summary>A database and a vhost of the run's own, the services' settings for them, and the checks at the end.</summary>
public sealed class ChaosEnvironment : IAsyncDisposable
{
    private readonly InfrastructureSettings _infrastructure;
    private readonly bool _keep;

    private ChaosEnvironment(InfrastructureSettings infrastructure, string name, bool keep)
    {
        _infrastructure = infrastructure;
        _keep = keep;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(infrastructure.PostgresConnectionString) { Database = name }.ConnectionString;
        LogDirectory = Directory.CreateTempSubdirectory(name + "-").FullName;
    }

    public string Name { get; }
    public string ConnectionString { get; }
    public string LogDirectory { get; }

    /// <summary>The run's own token-signing secret: the services run as deployed (Production), not on the development key.</summary>
    private string SigningSecret { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>A department's bearer token, signed with the run's key.</summary>
    public string DepartmentToken(string subject, string department) =>
        DevelopmentTokens.Issue(subject, [Roles.Department(department)], TimeSpan.FromHours(4), DevelopmentTokens.KeyFrom(SigningSecret));

    public static async Task<ChaosEnvironment> CreateAsync(InfrastructureSettings infrastructure, bool keep, string prefix = "pj_chaos")
    {
        var environment = new ChaosEnvironment(infrastructure, $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 13)], keep);
        await environment.AdminAsync($"create database {environment.Name}");
        using var http = BrokerAccounts.ManagementApi(BrokerAccounts.Administrator(infrastructure.RabbitMq, Infrastructure.Configuration));
        (await http.PutAsync($"vhosts/{environment.Name}", null)).EnsureSuccessStatusCode();
        await BrokerAccounts.ApplyAsync(http, environment.Name, BrokerAccounts.PasswordsFrom(Infrastructure.Configuration));
        return environment;
    }

    /// <summary>
    /// The journey and the four departments, each a process of its own on this environment (not started); or, with
    /// <paramref name="departmentsInOneProcess"/>, the journey and the departments' host (services/Departments).
    /// </summary>
    public Dictionary<string, ServiceProcess> ServiceProcesses(bool departmentsInOneProcess = false)
    {
        var processes = new Dictionary<string, ServiceProcess> { ["Journey"] = Process("Journey") };
        if (departmentsInOneProcess) processes["Departments"] = Process("Departments", Departments.All);
        else foreach (var department in Departments.All) processes[char.ToUpperInvariant(department[0]) + department[1..]] = Process(department);
        return processes;

        ServiceProcess Process(string service, IReadOnlyList<string>? departments = null)
        {
            var name = char.ToUpperInvariant(service[0]) + service[1..];
            return new ServiceProcess(name, ServiceProcess.AssemblyOf(name), ServiceEnvironment(departments ?? [service.ToLowerInvariant()]),
                Path.Combine(LogDirectory, name + ".log"), departments);
        }
    }

    /// <summary>Each department's address, whichever process hosts it.</summary>
    public static Dictionary<string, Uri> DepartmentAddresses(IReadOnlyDictionary<string, ServiceProcess> processes) =>
        processes.Values.Where(p => p.Name != "Journey")
            .SelectMany(p => p.Departments.Count > 0 ? p.Departments : new Dictionary<string, Uri> { [p.Name.ToLowerInvariant()] = p.BaseAddress })
            .ToDictionary(d => d.Key, d => d.Value);

    /// <summary>The journey first, so that its queue is bound before the departments forward anything; then the departments.</summary>
    public static async Task StartAsync(IReadOnlyDictionary<string, ServiceProcess> processes)
    {
        processes["Journey"].Start();
        await processes["Journey"].WaitReadyAsync(TimeSpan.FromSeconds(60));
        var departments = processes.Values.Where(p => p.Name != "Journey").ToList();
        foreach (var department in departments) department.Start();
        foreach (var department in departments) await department.WaitReadyAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// A process's settings: the run's database and vhost, and the broker password of each service it hosts (the
    /// runner's, from RabbitMq__Accounts__&lt;service&gt;__Password; <see cref="ServiceProcess"/> passes no other secret of the runner's).
    /// </summary>
    public IReadOnlyDictionary<string, string> ServiceEnvironment(IReadOnlyList<string> services)
    {
        var environment = new Dictionary<string, string>(ServiceEnvironment());
        foreach (var service in services)
            environment[$"RabbitMq__Accounts__{service}__Password"] = BrokerAccounts.PasswordsFrom(Infrastructure.Configuration)(BrokerAccounts.UserOf(service));
        return environment;
    }

    private IReadOnlyDictionary<string, string> ServiceEnvironment() => new Dictionary<string, string>
    {
        // Production, as deployed. Under Development (scope validation in the DI container, the developer exception
        // page and whatever else the frameworks switch on for it) the pipeline carried fewer events back to back, with
        // no single cause in the profile (measured in docs/benchmarks-history.md, "the services as deployed").
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Auth__SigningKey"] = SigningSecret,
        ["ConnectionStrings__Postgres"] = ConnectionString,
        ["RabbitMq__Host"] = _infrastructure.RabbitMq.Host,
        ["RabbitMq__Port"] = _infrastructure.RabbitMq.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RabbitMq__ManagementPort"] = _infrastructure.RabbitMq.ManagementPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RabbitMq__VirtualHost"] = Name,
        ["RateLimit__PermitsPerSecond"] = "1000000",
        ["RateLimit__Burst"] = "1000000",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    /// <summary>Until the journey holds as many events as the four departments together (and a little longer, to see it stays so).</summary>
    public async Task WaitForDeliveryAsync(TimeSpan deadline, CancellationToken ct)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            var source = 0L;
            foreach (var department in Departments.All) source += await ScalarAsync(Tombstones.ClinicalEventsSql(department, "count(*)"), ct);
            var journey = await ScalarAsync(Tombstones.ClinicalEventsSql(JourneyStore.Schema, "count(*)"), ct);
            if (journey >= source) return;
            if (DateTime.UtcNow > until) return; // the counts at the end will say what is missing
            await Task.Delay(500, ct);
        }
    }

    public async Task<(int Delivered, int Duplicates, int Lost, int Unexpected)> CountAsync(IReadOnlySet<Guid> accepted, CancellationToken ct)
    {
        var departmentEvents = new List<Guid>();
        foreach (var department in Departments.All) departmentEvents.AddRange(await IdsAsync(Tombstones.ClinicalEventsSql(department, "id"), ct));
        var journeyEvents = await IdsAsync(Tombstones.ClinicalEventsSql(JourneyStore.Schema, "id"), ct);
        var journeySet = journeyEvents.ToHashSet();
        var delivered = accepted.Count(journeySet.Contains);
        // A fact twice: in a department (a retried request recorded again) or in the journey (a redelivery appended again).
        var duplicates = (departmentEvents.Count - accepted.Count) + (journeyEvents.Count - journeySet.Count);
        var unexpected = journeySet.Count(id => !accepted.Contains(id));
        return (delivered, Math.Max(0, duplicates), accepted.Count - delivered, unexpected);
    }

    /// <summary>Snapshot of the live read models, a full rebuild from the journey's events, and the snapshot again; and every hash chain rechecked.</summary>
    public async Task<(int Patients, bool Equal, int ChainsAltered)> CompareWithRebuildAsync(CancellationToken ct)
    {
        NpgsqlConnection.ClearAllPools();
        var live = await ReadModelSnapshot.TakeAsync(ConnectionString);
        using var store = JourneyServiceExtensions.OpenJourneyStore(ConnectionString);
        var patients = await JourneyRebuild.RebuildAllAsync(store, ct: ct);
        var rebuilt = await ReadModelSnapshot.TakeAsync(ConnectionString);
        var altered = 0;
        await using var session = store.QuerySession();
        foreach (var id in await session.QueryAsync<string>(Tombstones.PatientStreamsSql(JourneyStore.Schema), ct))
            if (!(await EventChain.VerifyAsync(session, id, ct)).Intact) altered++;
        if (live != rebuilt)
        {
            // Kept beside the services' logs, so that a failed run shows which read model of which patient differs.
            await File.WriteAllTextAsync(Path.Combine(LogDirectory, "read-models-live.txt"), live, ct);
            await File.WriteAllTextAsync(Path.Combine(LogDirectory, "read-models-rebuilt.txt"), rebuilt, ct);
        }
        return (patients, live == rebuilt, altered);
    }

    private async Task<long> ScalarAsync(string sql, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString);
                await connection.OpenAsync(ct);
                await using var command = new NpgsqlCommand(sql, connection);
                return (long)(await command.ExecuteScalarAsync(ct))!;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                return 0; // nothing appended there yet
            }
            catch (NpgsqlException) when (attempt < 20)
            {
                await Task.Delay(500, ct);
            }
        }
    }

    private async Task<List<Guid>> IdsAsync(string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        var ids = new List<Guid>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) ids.Add(reader.GetGuid(0));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable) { }
        return ids;
    }

    private async Task AdminAsync(string sql)
    {
        await using var connection = await OpenAdminAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<NpgsqlConnection> OpenAdminAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_infrastructure.PostgresConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_keep) return;
        NpgsqlConnection.ClearAllPools();
        using (var http = BrokerAccounts.ManagementApi(BrokerAccounts.Administrator(_infrastructure.RabbitMq, Infrastructure.Configuration)))
            await http.DeleteAsync($"vhosts/{Name}");
        await using var admin = await OpenAdminAsync();
        await Infrastructure.DropDatabaseAsync(admin, Name); // left behind, named pj_chaos_*, if it cannot be dropped
    }
}

/// <summary>The machine's PostgreSQL and RabbitMQ, as infra/up.sh started them.</summary>
public static class Infrastructure
{
    /// <summary>The runner's settings (test.sh exports infra/up.sh's secrets file): the administrator and each service's password.</summary>
    public static IConfiguration Configuration { get; } = new ConfigurationBuilder().AddEnvironmentVariables().Build();

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>
    /// Drops a database of a test or benchmark's own. Autovacuum, busy with rows just loaded, may hold it, and our role
    /// may not terminate a superuser's worker ("must be a member of the role whose process is being terminated"): tried
    /// again briefly, then left behind (its name says whose it is) rather than fail a finished run.
    /// </summary>
    public static async Task DropDatabaseAsync(NpgsqlConnection admin, string database)
    {
        for (var attempt = 1; attempt <= 20; attempt++)
        {
            try
            {
                await using var drop = new NpgsqlCommand($"drop database if exists {database} with (force)", admin);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException)
            {
                await Task.Delay(250);
            }
        }
    }

    public static async Task RestartPostgresAsync()
    {
        var cluster = (await RunAsync("pg_lsclusters", "-h")).Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        await RunAsync("pg_ctlcluster", cluster[0], cluster[1], "restart");
    }

    public static async Task<string> RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', arguments)}: {await errors}");
        return await output;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PatientJourney.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("PatientJourney.sln not found above " + AppContext.BaseDirectory);
    }
}
