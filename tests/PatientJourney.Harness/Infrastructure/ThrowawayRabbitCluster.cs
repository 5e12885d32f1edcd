using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace PatientJourney.Harness;

/// <summary>
/// A RabbitMQ cluster of a test's own, three nodes on free ports, made by infra/rabbitmq-cluster.sh (what
/// ./run.sh --cluster runs) in a temporary state directory: for what must never happen to the shared node, a node killed.
/// Nodes are numbered from 0 here (the script's node i + 1). Its administrator has a password of its own, made at the
/// cluster's first boot; there is no guest.
/// </summary>
public sealed class ThrowawayRabbitCluster : IAsyncDisposable
{
    private const int Nodes = 3;
    private static readonly string Script = Path.Combine(Repository.Root, "infra", "rabbitmq-cluster.sh");
    private readonly string[] _options;
    private readonly HttpClient _http = new();

    private ThrowawayRabbitCluster(string stateDirectory, string prefix, int amqpPort, int managementPort, int distributionPort)
    {
        StateDirectory = stateDirectory;
        AmqpPorts = [.. Enumerable.Range(amqpPort, Nodes)];
        ManagementPorts = [.. Enumerable.Range(managementPort, Nodes)];
        NodeNames = [.. Enumerable.Range(1, Nodes).Select(i => $"{prefix}{i}@{Dns.GetHostName().Split('.')[0]}")];
        _options = ["--state-dir", stateDirectory, "--name", prefix, "--nodes", Nodes.ToString(CultureInfo.InvariantCulture),
            "--amqp-port", Port(amqpPort), "--management-port", Port(managementPort), "--dist-port", Port(distributionPort)];
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AdminUser}:{AdminPassword}")));
    }

    public string StateDirectory { get; }
    public IReadOnlyList<int> AmqpPorts { get; }
    public IReadOnlyList<int> ManagementPorts { get; }
    public IReadOnlyList<string> NodeNames { get; }
    public string AdminUser => "pj-test-admin";
    public string AdminPassword { get; } = Guid.NewGuid().ToString("N");

    public static async Task<ThrowawayRabbitCluster> StartAsync()
    {
        // AMQP, management and distribution: three ports each, nine in a row.
        var first = FreePorts(3 * Nodes);
        var cluster = new ThrowawayRabbitCluster(Path.Combine(Path.GetTempPath(), $"pj-rabbit-{Guid.NewGuid():N}"[..18]),
            $"pjt{Guid.NewGuid():N}"[..9], first, first + Nodes, first + 2 * Nodes);
        try
        {
            await cluster.ScriptAsync(["up"], TimeSpan.FromMinutes(4));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <summary>The nodes that cluster_status says are running, as any running node sees them.</summary>
    public async Task<IReadOnlyList<string>> RunningNodesAsync()
    {
        var status = JsonNode.Parse((await ScriptAsync(["status", "--formatter", "json"])).Output)!;
        return [.. status["running_nodes"]!.AsArray().Select(n => n!.GetValue<string>()).Order()];
    }

    /// <summary>kill -9 of node <paramref name="node"/>'s Erlang VM, found by its node name.</summary>
    public Task KillNodeAsync(int node) => ScriptAsync(["kill", (node + 1).ToString(CultureInfo.InvariantCulture)]);

    /// <summary>Starts node <paramref name="node"/> again (it rejoins the cluster from its own data), until it is up.</summary>
    public Task StartNodeAsync(int node) => ScriptAsync(["start", (node + 1).ToString(CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(2));

    /// <summary>Declares a durable quorum queue through the management API of a running node.</summary>
    public async Task DeclareQuorumQueueAsync(string vhost, string queue)
    {
        var answer = await ManagementAsync(port => _http.PutAsJsonAsync(QueueUrl(port, vhost, queue),
            new { durable = true, arguments = new Dictionary<string, object> { ["x-queue-type"] = "quorum" } }));
        answer.EnsureSuccessStatusCode();
    }

    /// <summary>The quorum queue's leader node and its members, as the management API of a running node says.</summary>
    public async Task<(string? Leader, IReadOnlyList<string> Members)> QueueAsync(string vhost, string queue)
    {
        var answer = await ManagementAsync(port => _http.GetAsync(QueueUrl(port, vhost, queue)));
        answer.EnsureSuccessStatusCode();
        // Read as a document: RabbitMQ 3.10 sometimes names a quorum queue's "online" twice, which JsonNode refuses.
        using var json = System.Text.Json.JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        var root = json.RootElement;
        var members = root.TryGetProperty("members", out var listed) && listed.ValueKind == System.Text.Json.JsonValueKind.Array
            ? listed.EnumerateArray().Select(n => n.GetString()!).Order().ToList() : [];
        return (root.TryGetProperty("leader", out var leader) && leader.ValueKind == System.Text.Json.JsonValueKind.String ? leader.GetString() : null, members);
    }

    public async Task<string?> LeaderOfQueueAsync(string vhost, string queue) => (await QueueAsync(vhost, queue)).Leader;

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await ProgramRun.RunAsync(Script, ["down", .. _options], deadline: TimeSpan.FromMinutes(3));
        if (Directory.Exists(StateDirectory)) Directory.Delete(StateDirectory, recursive: true);
    }

    private static string QueueUrl(int port, string vhost, string queue) =>
        $"http://localhost:{port}/api/queues/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(queue)}";

    /// <summary>The first node whose management API answers (a killed node's refuses the connection).</summary>
    private async Task<HttpResponseMessage> ManagementAsync(Func<int, Task<HttpResponseMessage>> request)
    {
        HttpRequestException? last = null;
        foreach (var port in ManagementPorts)
        {
            try { return await request(port); }
            catch (HttpRequestException e) { last = e; }
        }
        throw new HttpRequestException("no node's management API answers", last);
    }

    private Task<ProgramRun> ScriptAsync(string[] arguments, TimeSpan? deadline = null) =>
        ProgramRun.RunOrThrowAsync(Script, [.. arguments, .. _options], deadline ?? TimeSpan.FromMinutes(1), new Dictionary<string, string>
        {
            ["PJ_RABBIT_CLUSTER_ADMIN_USER"] = AdminUser, ["PJ_RABBIT_CLUSTER_ADMIN_PASSWORD"] = AdminPassword,
        });

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The first of <paramref name="count"/> consecutive free ports, below 35672: RabbitMQ's command line tools take their
    /// own distribution ports from 35672 to 35682, and a node listening there fails when a tool holds one.
    /// </summary>
    private static int FreePorts(int count)
    {
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            var first = Random.Shared.Next(20_000, 32_000);
            if (Enumerable.Range(first, count).All(Free)) return first;
        }
        throw new InvalidOperationException($"no {count} consecutive free ports");
    }

    private static bool Free(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
