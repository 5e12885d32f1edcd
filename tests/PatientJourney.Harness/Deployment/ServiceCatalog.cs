using System.Globalization;
using PatientJourney.StoreAndBus;
using PatientJourney.StoreAndBus.Messaging;

namespace PatientJourney.Harness;

/// <summary>
/// One process of the deployment: its name (its project's folder), where it is built, the port it is deployed on (none
/// for the departments' host, whose departments listen on their own), the broker accounts whose passwords it is given,
/// and the departments it hosts each on an address of its own (only the departments' host).
/// </summary>
public sealed record ServiceEntry(string Name, string ProjectFolder, string Assembly, int? Port, IReadOnlyList<string> BrokerAccounts, IReadOnlyList<string> HostedDepartments)
{
    /// <summary>The built assembly under <paramref name="configuration"/>, whether it exists or not.</summary>
    public string AssemblyPath(string configuration) =>
        Path.Combine(Repository.Root, ProjectFolder, "bin", configuration, "net10.0", $"{Assembly}.dll");
}

/// <summary>
/// Every service the harness starts, as deployment.json describes it (the description run.sh reads too), and the
/// settings the harness starts each with: on ports and a database and vhost of a run's own.
/// </summary>
public static class ServiceCatalog
{
    private static readonly Deployment Described = Deployment.Load(Repository.Root);

    public static ServiceEntry Journey { get; } = Of("journey");
    public static ServiceEntry Diagnosis { get; } = Of("diagnosis");
    public static ServiceEntry Chemotherapy { get; } = Of("chemotherapy");
    public static ServiceEntry Interventional { get; } = Of("interventional");
    public static ServiceEntry Imaging { get; } = Of("imaging");
    /// <summary>The four departments in one process (services/Departments), each on its own port and broker account.</summary>
    public static ServiceEntry DepartmentsHost { get; } = HostOfDepartments();
    public static ServiceEntry Dashboard { get; } = Of("dashboard");

    public static IReadOnlyList<ServiceEntry> All { get; } = [Journey, Diagnosis, Chemotherapy, Interventional, Imaging, DepartmentsHost, Dashboard];

    /// <summary>The journey and the departments, each department a process of its own or the four in their shared host.</summary>
    public static IReadOnlyList<ServiceEntry> Pipeline(bool departmentsInOneProcess) =>
        departmentsInOneProcess ? [Journey, DepartmentsHost] : [Journey, Diagnosis, Chemotherapy, Interventional, Imaging];

    public static ServiceEntry Named(string name) => All.Single(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    private static ServiceEntry Of(string name)
    {
        var service = Described[name];
        return new(Path.GetFileName(service.Folder), service.Folder, service.Assembly, service.Port, service.BrokerAccount is { } account ? [account] : [], []);
    }

    private static ServiceEntry HostOfDepartments()
    {
        var departments = Described.Departments.ToList();
        var host = Described.DepartmentsHost;
        return new(Path.GetFileName(host.Folder), host.Folder, host.Assembly, null,
            departments.Select(d => d.BrokerAccount).OfType<string>().ToList(), departments.Select(d => d.Name).ToList());
    }

    /// <summary>
    /// A service's built assembly, in the same configuration as the running tool (Debug under test.sh, Release under
    /// chaos.sh and the benchmarks).
    /// </summary>
    public static string AssemblyOf(ServiceEntry service)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = service.AssemblyPath(configuration);
        return File.Exists(path) ? path : throw new FileNotFoundException($"build the solution first ({configuration})", path);
    }

    /// <summary>
    /// A process's settings as deployed, on a run's own database and vhost: the run's signing key, and the broker password
    /// of each account it uses (the runner's, from RabbitMq__Accounts__&lt;service&gt;__Password; <see cref="ServiceProcess"/>
    /// passes no other secret of the runner's).
    /// </summary>
    public static IReadOnlyDictionary<string, string> EnvironmentOf(ServiceEntry service, Isolation isolation, string signingSecret)
    {
        var environment = new Dictionary<string, string>
        {
            // Production, as deployed. Under Development (scope validation in the DI container, the developer exception
            // page and whatever else the frameworks switch on for it) the pipeline carried fewer events back to back, with
            // no single cause in the profile (measured in docs/benchmarks-history.md, "the services as deployed").
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Auth__SigningKey"] = signingSecret,
            ["ConnectionStrings__Postgres"] = isolation.ConnectionString,
            ["RabbitMq__Host"] = isolation.RabbitMq.Host,
            ["RabbitMq__Port"] = isolation.RabbitMq.Port.ToString(CultureInfo.InvariantCulture),
            ["RabbitMq__ManagementPort"] = isolation.RabbitMq.ManagementPort.ToString(CultureInfo.InvariantCulture),
            ["RabbitMq__VirtualHost"] = isolation.Name,
            ["RateLimit__PermitsPerSecond"] = "1000000",
            ["RateLimit__Burst"] = "1000000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        if (isolation.RabbitMq.Nodes.Count > 0) environment["RabbitMq__Nodes"] = string.Join(',', isolation.RabbitMq.Nodes);
        var passwords = BrokerAccounts.PasswordsFrom(SharedServers.Configuration);
        foreach (var account in service.BrokerAccounts)
            environment[$"RabbitMq__Accounts__{account}__Password"] = passwords(BrokerAccounts.UserOf(account));
        return environment;
    }

    /// <summary>A service reading a benchmark's database: no broker traffic, logging at Warning, no rate limit.</summary>
    public static Dictionary<string, string> ReadSideEnvironment(string connectionString) => new()
    {
        ["ConnectionStrings__Postgres"] = connectionString,
        ["RabbitMq__VirtualHost"] = "pj-bench-none", // no broker traffic: this measures the read side
        ["Logging__LogLevel__Default"] = "Warning",
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["RateLimit__PermitsPerSecond"] = "1000000",
        ["RateLimit__Burst"] = "1000000",
    };

    /// <summary>The dashboard's own setting beside the read side's: where its journey answers.</summary>
    public static Dictionary<string, string> DashboardEnvironment(string connectionString, Uri journey) =>
        new(ReadSideEnvironment(connectionString)) { ["Journey__BaseUrl"] = journey.ToString() };
}
