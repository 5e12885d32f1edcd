using System.Text.Json;
using System.Text.Json.Serialization;

namespace PatientJourney.Harness;

/// <summary>
/// deployment.json, the one description of what runs: which services, on which port, with which database and broker
/// account, and which other service each one calls. run.sh and the harness read it; docker-compose.yml and the
/// services' own defaults are checked against it by a test.
/// </summary>
public sealed record Deployment(
    string Environment, IReadOnlyList<DeployedService> Services, DepartmentsHost DepartmentsHost, SignInProvider SignIn,
    ClusterTopology Cluster, [property: JsonPropertyName("$comment")] string? Comment = null)
{
    public const string FileName = "deployment.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    public static Deployment Load(string repositoryRoot) =>
        JsonSerializer.Deserialize<Deployment>(File.ReadAllText(Path.Combine(repositoryRoot, FileName)), Json)
        ?? throw new InvalidDataException($"{FileName} is empty");

    public DeployedService this[string name] =>
        Services.SingleOrDefault(s => s.Name == name) ?? throw new KeyNotFoundException($"{FileName} describes no service '{name}'");

    public IEnumerable<DeployedService> Departments => Services.Where(s => s.Department);
}

/// <param name="Calls">Setting name to the service it points at (e.g. Journey__BaseUrl to journey).</param>
public sealed record DeployedService(
    string Name, string Project, string Assembly, int Port, bool Database, string? BrokerAccount, IReadOnlyDictionary<string, string> Calls,
    bool Department = false)
{
    /// <summary>The project's folder, relative to the repository.</summary>
    public string Folder => Path.GetDirectoryName(Project)!;
}

public sealed record DepartmentsHost(string Project, string Assembly, [property: JsonPropertyName("$comment")] string? Comment = null)
{
    public string Folder => Path.GetDirectoryName(Project)!;
}

public sealed record SignInProvider(int Port);

/// <summary>
/// run.sh --cluster (and docker-compose.yml's cluster profile): how many instances of each process (a service's name,
/// or "departments" for the departments' host), the RabbitMQ cluster, the PostgreSQL standby, HAProxy's statistics.
/// </summary>
public sealed record ClusterTopology(
    IReadOnlyDictionary<string, int> Instances, int InstancePortOffset, ClusterRabbitMq RabbitMq, ClusterPostgres Postgres,
    ClusterHaProxy HaProxy, [property: JsonPropertyName("$comment")] string? Comment = null);

public sealed record ClusterRabbitMq(int Nodes, string NamePrefix, int AmqpPort, int ManagementPort, int DistPort);

public sealed record ClusterPostgres(int PrimaryPort, int StandbyPort, string StandbyCluster);

public sealed record ClusterHaProxy(int StatsPort);
