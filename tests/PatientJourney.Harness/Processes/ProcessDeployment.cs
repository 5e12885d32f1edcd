using PatientJourney.StoreAndBus.Messaging;
using PatientJourney.Hosting.Security;

namespace PatientJourney.Harness;

/// <summary>
/// The services as processes of their own on a database and vhost of the run's own (the chaos run, the benchmarks, the
/// tests of the departments' host), signing tokens with a key of the run's own.
/// </summary>
public sealed class ProcessDeployment : IAsyncDisposable
{
    private ProcessDeployment(Isolation isolation)
    {
        Isolation = isolation;
        LogDirectory = Directory.CreateTempSubdirectory(isolation.Name + "-").FullName;
    }

    public Isolation Isolation { get; }
    public string Name => Isolation.Name;
    public string ConnectionString => Isolation.ConnectionString;
    public string LogDirectory { get; }

    /// <summary>The run's own token-signing secret: the services run as deployed (Production), not on the development key.</summary>
    private string SigningSecret { get; } = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <param name="postgres">A PostgreSQL cluster of the run's own, else the shared one (<see cref="Isolation.CreateAsync"/>).</param>
    /// <param name="broker">The administrator of a RabbitMQ cluster of the run's own, else the shared broker's.</param>
    public static async Task<ProcessDeployment> CreateAsync(string prefix, bool keep = false, string? postgres = null, RabbitMqSettings? broker = null) =>
        new(await Isolation.CreateAsync(prefix, maxPoolSize: null, keep, postgres, broker));

    /// <summary>A bearer token for <paramref name="role"/>, signed with the run's key.</summary>
    public string Token(string subject, string role) =>
        DevelopmentTokens.Issue(subject, [role], TimeSpan.FromHours(4), DevelopmentTokens.KeyFrom(SigningSecret));

    public string DepartmentToken(string subject, string department) => Token(subject, Roles.Department(department));

    /// <summary>
    /// The journey and the four departments, each a process of its own on this deployment (not started); or, with
    /// <paramref name="departmentsInOneProcess"/>, the journey and the departments' host (services/Departments).
    /// </summary>
    public Dictionary<string, ServiceProcess> ServiceProcesses(bool departmentsInOneProcess = false) =>
        ServiceCatalog.Pipeline(departmentsInOneProcess).ToDictionary(s => s.Name, s => new ServiceProcess(s.Name, ServiceCatalog.AssemblyOf(s),
            ServiceCatalog.EnvironmentOf(s, Isolation, SigningSecret), Path.Combine(LogDirectory, s.Name + ".log"),
            s.HostedDepartments.Count > 0 ? s.HostedDepartments : null));

    /// <summary>
    /// One instance of a service among several (journey-2, departments-1): the service's settings on this deployment with
    /// <paramref name="settings"/> over them, logging to a file of its own.
    /// </summary>
    public ServiceProcess Instance(ServiceEntry service, string instance, IReadOnlyDictionary<string, string> settings)
    {
        var environment = new Dictionary<string, string>(ServiceCatalog.EnvironmentOf(service, Isolation, SigningSecret));
        foreach (var (key, value) in settings) environment[key] = value;
        return new ServiceProcess(instance, ServiceCatalog.AssemblyOf(service), environment, Path.Combine(LogDirectory, instance + ".log"),
            service.HostedDepartments.Count > 0 ? service.HostedDepartments : null);
    }

    /// <summary>Each department's address, whichever process hosts it.</summary>
    public static Dictionary<string, Uri> DepartmentAddresses(IReadOnlyDictionary<string, ServiceProcess> processes) =>
        processes.Values.Where(p => p.Name != ServiceCatalog.Journey.Name)
            .SelectMany(p => p.Departments.Count > 0 ? p.Departments : new Dictionary<string, Uri> { [p.Name.ToLowerInvariant()] = p.BaseAddress })
            .ToDictionary(d => d.Key, d => d.Value);

    /// <summary>The journey first, so that its queue is bound before the departments forward anything; then the departments.</summary>
    public static async Task StartAsync(IReadOnlyDictionary<string, ServiceProcess> processes)
    {
        var journey = processes[ServiceCatalog.Journey.Name];
        journey.Start();
        await journey.WaitReadyAsync(TimeSpan.FromSeconds(60));
        var departments = processes.Values.Where(p => p != journey).ToList();
        foreach (var department in departments) department.Start();
        foreach (var department in departments) await department.WaitReadyAsync(TimeSpan.FromSeconds(60));
    }

    public ValueTask DisposeAsync() => Isolation.DisposeAsync();
}
