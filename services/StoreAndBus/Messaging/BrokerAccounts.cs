using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using PatientJourney.Contracts;

namespace PatientJourney.StoreAndBus.Messaging;

/// <summary>What one RabbitMQ user may configure, write and read: regular expressions over exchange and queue names.</summary>
public sealed record BrokerAccount(string Username, string Configure, string Write, string Read, string Tags = "");

/// <summary>
/// Every service connects to RabbitMQ as its own user. A department may declare and write only its own event
/// exchanges (named by the contract's namespace, e.g. PatientJourney.Contracts.Chemotherapy:ChemoCycleCompleted);
/// the journey may read them and own its queue, and may write no department's exchange. The broker stamps nothing,
/// but it refuses a publish whose user_id is not the connection's user, so the user_id the journey checks cannot
/// be forged. One definition, applied by `journey-admin broker-setup` and by the tests to their own vhosts.
/// </summary>
public static class BrokerAccounts
{
    public const string Journey = "journey";

    /// <summary>The journey's queue: every department's events, bound to their exchanges (its error queue is this + "_error").</summary>
    public const string JourneyQueue = "journey-events";

    // MassTransit's per-process bus endpoint (host_process_bus_id): temporary, auto-delete, its own.
    private const string BusEndpoint = ".+_bus_[a-z0-9]+";

    // Every department's event exchanges (PatientJourney.Contracts.<Department>:<Message>).
    private static readonly string DepartmentExchanges = Regex.Escape(typeof(ClinicalEvent).Namespace!) + @"\..+";

    public static string UserOf(string service) => $"pj-{service}";

    /// <summary>The development password; production sets RabbitMq__Password for each service.</summary>
    public static string DevelopmentPassword(string username) => $"{username}-dev";

    /// <summary>The operator's re-drive of dead letters: it must send them on with their original user_id.</summary>
    public const string Redrive = "redrive";

    public static IReadOnlyList<string> Services { get; } = [.. Departments.All, Journey, Redrive];

    public static BrokerAccount For(string service)
    {
        var queue = Regex.Escape(JourneyQueue);
        if (service == Redrive)
            return new BrokerAccount(UserOf(Redrive), Configure: "^$", Write: $"^{queue}$", Read: $"^{queue}_error$", Tags: "impersonator");
        if (service == Journey)
        {
            return new BrokerAccount(UserOf(Journey),
                Configure: $"^({queue}.*|{DepartmentExchanges}|{BusEndpoint})$",
                Write: $"^({queue}.*|{BusEndpoint})$",
                Read: $"^({queue}.*|{DepartmentExchanges}|{BusEndpoint})$",
                // A dead letter keeps its sender's user_id on the way to journey-events_error; writing it needs this
                // tag, and the journey can write nowhere but its own queues.
                Tags: "impersonator");
        }
        var own = Regex.Escape(ExchangeNamespaceOf(service)) + ":.+";
        return new BrokerAccount(UserOf(service), $"^({own}|{BusEndpoint})$", $"^({own}|{BusEndpoint})$", $"^({BusEndpoint})$");
    }

    /// <summary>
    /// The connection of one service: host and vhost from the shared settings, user and password its own. The password
    /// is RabbitMq:Password, else RabbitMq:Accounts:&lt;service&gt;:Password (a process hosting several departments gets
    /// one per department), else the development one, which <c>DevelopmentSecrets</c> refuses outside Development.
    /// </summary>
    public static RabbitMqSettings Connection(RabbitMqSettings shared, IConfiguration configuration, string service)
    {
        var username = configuration["RabbitMq:Username"] ?? UserOf(service);
        return shared with { Username = username, Password = configuration["RabbitMq:Password"] ?? PasswordOf(configuration, service) ?? DevelopmentPassword(username) };
    }

    /// <summary>
    /// A tool acting as a service (replay sends each department's events as that department): the service's user,
    /// its password from RabbitMq:Accounts:&lt;service&gt;:Password, else the development one.
    /// </summary>
    public static RabbitMqSettings ActingAs(RabbitMqSettings shared, IConfiguration configuration, string service) =>
        shared with { Username = UserOf(service), Password = PasswordOf(configuration, service) ?? DevelopmentPassword(UserOf(service)) };

    /// <summary>A service account's password as infra/up.sh hands it out (RabbitMq__Accounts__&lt;service&gt;__Password), or null.</summary>
    public static string? PasswordOf(IConfiguration configuration, string service) =>
        configuration[$"RabbitMq:Accounts:{service}:Password"] is { Length: > 0 } password ? password : null;

    /// <summary>
    /// The broker's administrator, for the management API: RabbitMq:Admin:Username and RabbitMq:Admin:Password, else
    /// RabbitMq:Username and RabbitMq:Password. Its own keys keep it apart from the service's account: a process given
    /// both (a test host reads the environment its runner has) still connects to the bus as the service.
    /// </summary>
    public static RabbitMqSettings Administrator(RabbitMqSettings shared, IConfiguration configuration) => shared with
    {
        Username = configuration["RabbitMq:Admin:Username"] ?? shared.Username,
        Password = configuration["RabbitMq:Admin:Password"] ?? shared.Password,
    };

    /// <summary>
    /// The department whose events a broker user may send, or null for any other user: the department's own service
    /// (pj-&lt;department&gt;) or one of its outside systems (pj-&lt;department&gt;.&lt;system&gt;, <see cref="DepartmentSystem"/>).
    /// </summary>
    public static string? DepartmentOfUser(string? username) =>
        Departments.All.FirstOrDefault(d => UserOf(d) == username
            || username is not null && username.StartsWith(UserOf(d) + ".", StringComparison.Ordinal) && IsReaderName(username[(UserOf(d).Length + 1)..]));

    /// <summary>
    /// An outside system that records one department's facts on the bus (the hospital's RIS publishing imaging results):
    /// user pj-&lt;department&gt;.&lt;system&gt;, with exactly the department's own permissions (its exchanges, nothing else) and
    /// a password of its own, so that it is revoked or rotated without touching the department's service. The journey
    /// takes the department's events from it as from the department (<see cref="DepartmentOfUser"/>), and from no one else.
    /// </summary>
    public static BrokerAccount DepartmentSystem(string department, string system)
    {
        if (!Departments.All.Contains(department)) throw new ArgumentException($"Not a department: '{department}' (one of {string.Join(", ", Departments.All)})", nameof(department));
        if (!IsReaderName(system)) throw new ArgumentException($"A system's name is lower-case letters and digits joined by '-', at most 64 characters: '{system}'", nameof(system));
        return For(department) with { Username = $"{UserOf(department)}.{system}" };
    }

    /// <summary>RabbitMQ's management API (users, permissions, vhosts), as the admin user.</summary>
    public static HttpClient ManagementApi(RabbitMqSettings admin)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://{admin.Host}:{admin.ManagementPort}/api/") };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{admin.Username}:{admin.Password}")));
        return http;
    }

    /// <summary>
    /// Creates (or updates) every service's user and its permissions on a vhost, through the management API. Users are
    /// global to the broker, not per vhost: the passwords given here are every vhost's, so a caller making a vhost of
    /// its own (a test, a chaos run) passes the passwords the running system has (<see cref="PasswordsFrom"/>), never
    /// new ones, or it would lock the system beside it out.
    /// </summary>
    public static async Task ApplyAsync(HttpClient managementApi, string vhost, Func<string, string>? passwordOf = null, CancellationToken ct = default)
    {
        foreach (var account in Services.Select(For))
            await ApplyAsync(managementApi, vhost, account, passwordOf?.Invoke(account.Username) ?? DevelopmentPassword(account.Username), ct);
    }

    /// <summary>One account: its user (password and tags, the same on every vhost) and its permissions on this vhost.</summary>
    public static async Task ApplyAsync(HttpClient managementApi, string vhost, BrokerAccount account, string password, CancellationToken ct = default)
    {
        (await managementApi.PutAsJsonAsync($"users/{Uri.EscapeDataString(account.Username)}", new { password, tags = account.Tags }, ct)).EnsureSuccessStatusCode();
        (await managementApi.PutAsJsonAsync($"permissions/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(account.Username)}",
            new { configure = account.Configure, write = account.Write, read = account.Read }, ct)).EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Closes every open connection of a user (after its password was replaced: RabbitMQ checks a password only when a
    /// connection opens, so one opened with the old password would otherwise go on). Answers how many it closed.
    /// </summary>
    public static async Task<int> CloseConnectionsAsync(HttpClient managementApi, string username, CancellationToken ct = default)
    {
        var connections = await managementApi.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>("connections?columns=name,user", ct) ?? [];
        var theirs = connections.Where(c => (string?)c?["user"] == username).Select(c => (string)c!["name"]!).ToList();
        foreach (var name in theirs) await managementApi.DeleteAsync($"connections/{Uri.EscapeDataString(name)}", ct);
        return theirs.Count;
    }

    /// <summary>
    /// The service accounts' passwords from configuration (RabbitMq__Accounts__&lt;service&gt;__Password, as infra/up.sh hands
    /// them out), else the development ones: what a test's or a chaos run's vhost applies.
    /// </summary>
    public static Func<string, string> PasswordsFrom(IConfiguration configuration) => username =>
        Services.FirstOrDefault(s => UserOf(s) == username) is { } service && PasswordOf(configuration, service) is { } password
            ? password : DevelopmentPassword(username);

    /// <summary>The prefix of every queue a read-only outside consumer may own.</summary>
    public const string ReaderQueuePrefix = "reader-";

    /// <summary>
    /// What a reader's (or an outside system's) name may be: lower-case words joined by '-', so that a reader's queue
    /// pattern cannot reach another reader's.
    /// </summary>
    public static bool IsReaderName(string name) => Regex.IsMatch(name, "^[a-z0-9]+(-[a-z0-9]+)*$") && name.Length <= 64;

    /// <summary>
    /// A read-only outside consumer (an analytics team, a registry): user pj-reader-&lt;name&gt;. It may declare, bind and read
    /// only its own queues (reader-&lt;name&gt;, or reader-&lt;name&gt;.&lt;anything&gt;), and read the department exchanges
    /// (PatientJourney.Contracts.*), which is what binding a queue to one takes. It writes nowhere else: no department
    /// exchange, no journey queue, and nothing it sends could carry a department's user_id.
    /// </summary>
    public static BrokerAccount Reader(string name)
    {
        if (!IsReaderName(name)) throw new ArgumentException($"A reader's name is lower-case letters and digits joined by '-', at most 64 characters: '{name}'", nameof(name));
        var own = Regex.Escape(ReaderQueuePrefix + name) + @"(\..+)?";
        return new BrokerAccount(UserOf("reader-" + name), Configure: $"^{own}$", Write: $"^{own}$", Read: $"^({own}|{DepartmentExchanges})$");
    }

    private static string ExchangeNamespaceOf(string department) =>
        ContractEvents.OwnedBy(department).Select(t => t.Namespace!).Distinct().Single();
}
