using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Npgsql;
using PatientJourney.StoreAndBus.Messaging;

namespace PatientJourney.Harness;

/// <summary>
/// A database and a RabbitMQ vhost of a test's (or a run's) own on the real servers that infra/up.sh started, so tests
/// run in parallel, in any order, and beside the demo system.
/// </summary>
public sealed class Isolation : IAsyncDisposable
{
    private readonly bool _keep;
    private readonly string? _postgres;
    private readonly RabbitMqSettings _administrator;

    public string Name { get; }
    public string ConnectionString { get; }
    /// <summary>The vhost, as the administrator (who may do anything there); ActingAs gives a service's account.</summary>
    public RabbitMqSettings RabbitMq { get; }

    private Isolation(string name, int? maxPoolSize, bool keep, string? postgres, RabbitMqSettings? broker = null)
    {
        Name = name;
        _keep = keep;
        _postgres = postgres;
        _administrator = broker ?? Administrator;
        ConnectionString = SharedServers.ConnectionStringOf(name, maxPoolSize, postgres);
        RabbitMq = _administrator with { VirtualHost = name };
    }

    /// <param name="prefix">Names the database and vhost (pj_test, pj_chaos, pj_bench): one left behind says whose it is.</param>
    /// <param name="maxPoolSize">The connection pool of the in-process hosts (five services share one process); none for processes.</param>
    /// <param name="keep">Leave the database and vhost for a look afterwards.</param>
    /// <param name="postgres">A PostgreSQL cluster of the test's own (its connection string, any database), else the shared one.</param>
    /// <param name="broker">The administrator of a RabbitMQ (cluster) of the test's own, else the shared broker's.</param>
    public static async Task<Isolation> CreateAsync(string prefix = "pj_test", int? maxPoolSize = 40, bool keep = false, string? postgres = null,
        RabbitMqSettings? broker = null)
    {
        var isolation = new Isolation($"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 17)], maxPoolSize, keep, postgres, broker);
        await SharedServers.CreateDatabaseAsync(isolation.Name, postgres);
        await isolation.CreateVirtualHostAsync();
        return isolation;
    }

    /// <summary>
    /// The database of <paramref name="before"/> as a restored cluster holds it (<paramref name="postgres"/>), with the vhost
    /// made anew and empty: the broker as rebuilt from its definitions, holding no message of the time after the restore point.
    /// </summary>
    public static async Task<Isolation> RestoredAsync(Isolation before, string postgres, int? maxPoolSize = 40)
    {
        var isolation = new Isolation(before.Name, maxPoolSize, before._keep, postgres);
        using (var http = ManagementApi())
            await http.DeleteAsync($"vhosts/{isolation.Name}");
        await isolation.CreateVirtualHostAsync();
        return isolation;
    }

    private async Task CreateVirtualHostAsync()
    {
        var isolation = this;
        using var http = BrokerAccounts.ManagementApi(_administrator);
        (await http.PutAsync($"vhosts/{isolation.Name}", null)).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync($"permissions/{isolation.Name}/{_administrator.Username}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        // The passwords the demo system beside the tests has (test.sh exports infra/up.sh's secrets): users are global.
        await BrokerAccounts.ApplyAsync(http, isolation.Name, BrokerAccounts.PasswordsFrom(Secrets));
    }

    public async ValueTask DisposeAsync()
    {
        if (_keep) return;
        NpgsqlConnection.ClearAllPools();
        using (var http = BrokerAccounts.ManagementApi(_administrator))
            await http.DeleteAsync($"vhosts/{Name}");
        await SharedServers.DropDatabaseAsync(Name, _postgres); // left behind, named for its prefix, if it cannot be dropped
    }

    /// <summary>The runner's settings: the service accounts' passwords as the running system has them (RabbitMq__Accounts__*).</summary>
    public static IConfiguration Secrets => SharedServers.Configuration;

    /// <summary>The broker's administrator (RabbitMq__Admin__*), on the tests' own vhosts too.</summary>
    public static RabbitMqSettings Administrator { get; } = BrokerAccounts.Administrator(SharedServers.Settings.RabbitMq, Secrets);

    public static HttpClient ManagementApi() => BrokerAccounts.ManagementApi(Administrator);
}
