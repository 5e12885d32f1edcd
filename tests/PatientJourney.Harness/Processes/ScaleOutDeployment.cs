using System.Globalization;
using Npgsql;
using PatientJourney.StoreAndBus.Messaging;

namespace PatientJourney.Harness;

/// <summary>
/// The services scaled out as `./run.sh --cluster` runs them, on infrastructure of the run's own: a PostgreSQL primary
/// with a streaming standby, a RabbitMQ cluster of three, instances of the departments' host and of the journey, each a
/// process named for its instance (also its PostgreSQL application_name, so that a session, an advisory lock, is traced
/// to the instance that holds it). For the scale-out chaos run and the pipeline benchmark in cluster mode.
/// </summary>
public sealed class ScaleOutDeployment : IAsyncDisposable
{
    private ScaleOutDeployment(ThrowawayCluster primary, ThrowawayStandby standby, ThrowawayRabbitCluster rabbit, ProcessDeployment deployment)
    {
        Primary = primary;
        Standby = standby;
        Rabbit = rabbit;
        Deployment = deployment;
    }

    public ThrowawayCluster Primary { get; }
    public ThrowawayStandby Standby { get; }
    public ThrowawayRabbitCluster Rabbit { get; }
    public ProcessDeployment Deployment { get; }
    public string Name => Deployment.Name;
    /// <summary>The run's database on the primary (the checks read the truth there).</summary>
    public string ConnectionString => Deployment.ConnectionString;
    public string StandbyConnectionString => new NpgsqlConnectionStringBuilder(Standby.ConnectionString) { Database = Name, Pooling = false }.ConnectionString;
    public Dictionary<string, ServiceProcess> Journeys { get; } = [];
    public Dictionary<string, ServiceProcess> DepartmentHosts { get; } = [];
    public IEnumerable<ServiceProcess> All => Journeys.Values.Concat(DepartmentHosts.Values);

    public static async Task<ScaleOutDeployment> StartAsync(string prefix, bool keep = false)
    {
        // Two departments' hosts (four stores each) and three journeys hold more sessions than the default allows.
        var primary = await ThrowawayCluster.StartAsync(new Dictionary<string, string> { ["max_connections"] = "400" });
        ThrowawayStandby? standby = null;
        ThrowawayRabbitCluster? rabbit = null;
        try
        {
            standby = await primary.StartStandbyAsync();
            rabbit = await ThrowawayRabbitCluster.StartAsync();
            var broker = new RabbitMqSettings("127.0.0.1", (ushort)rabbit.AmqpPorts[0], "/", rabbit.AdminUser, rabbit.AdminPassword)
            {
                ManagementPort = (ushort)rabbit.ManagementPorts[0],
                Nodes = [.. rabbit.AmqpPorts.Select(p => $"127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}")],
            };
            var deployment = await ProcessDeployment.CreateAsync(prefix, keep, primary.ConnectionString, broker);
            return new ScaleOutDeployment(primary, standby, rabbit, deployment);
        }
        catch
        {
            if (rabbit is not null) await rabbit.DisposeAsync();
            await primary.DisposeAsync();
            throw;
        }
    }

    /// <summary>Makes the instances (not started): journey-1..n and departments-1..m.</summary>
    public void AddInstances(int journeys, int departmentHosts, IReadOnlyDictionary<string, string>? settings = null)
    {
        for (var i = 1; i <= journeys; i++) Journeys[$"journey-{i}"] = Instance(ServiceCatalog.Journey, $"journey-{i}", settings);
        for (var i = 1; i <= departmentHosts; i++) DepartmentHosts[$"departments-{i}"] = Instance(ServiceCatalog.DepartmentsHost, $"departments-{i}", settings);
    }

    private ServiceProcess Instance(ServiceEntry service, string instance, IReadOnlyDictionary<string, string>? settings)
    {
        // Primary first, then the standby: writes go to the primary, the read routes to the standby.
        var services = new NpgsqlConnectionStringBuilder(ConnectionString)
        {
            Host = $"127.0.0.1:{Primary.Port.ToString(CultureInfo.InvariantCulture)},127.0.0.1:{Standby.Port.ToString(CultureInfo.InvariantCulture)}",
            ApplicationName = instance,
        };
        return Deployment.Instance(service, instance, new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["ConnectionStrings__Postgres"] = services.ConnectionString,
            ["Instance__Name"] = instance,
        });
    }

    /// <summary>The journeys first (their queue bound before anything is forwarded), then the departments' hosts.</summary>
    public async Task StartAsync()
    {
        foreach (var journey in Journeys.Values) journey.Start();
        foreach (var journey in Journeys.Values) await journey.WaitReadyAsync(TimeSpan.FromSeconds(120));
        foreach (var host in DepartmentHosts.Values) host.Start();
        foreach (var host in DepartmentHosts.Values) await host.WaitReadyAsync(TimeSpan.FromSeconds(120));
    }

    /// <summary>Every instance's address of each department.</summary>
    public Dictionary<string, IReadOnlyList<Uri>> DepartmentAddresses() =>
        DepartmentHosts.Values.SelectMany(h => h.Departments).GroupBy(d => d.Key)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Uri>)[.. g.Select(d => d.Value)]);

    /// <summary>Until the standby has replayed everything the primary has written so far.</summary>
    public async Task WaitForStandbyAsync(TimeSpan deadline)
    {
        await using var primary = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString);
        await primary.OpenAsync();
        await using var current = new NpgsqlCommand("select pg_current_wal_lsn()::text", primary);
        var target = (string)(await current.ExecuteScalarAsync())!;
        await using var standby = new NpgsqlConnection(StandbyConnectionString);
        await standby.OpenAsync();
        await using var replayed = new NpgsqlCommand("select pg_last_wal_replay_lsn() >= $1::pg_lsn", standby) { Parameters = { new() { Value = target } } };
        var until = DateTime.UtcNow + deadline;
        while (!(bool)(await replayed.ExecuteScalarAsync())!)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("the standby did not catch up with the primary");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in All) process.Dispose();
        await Deployment.DisposeAsync();
        await Rabbit.DisposeAsync();
        await Primary.DisposeAsync();
    }
}
