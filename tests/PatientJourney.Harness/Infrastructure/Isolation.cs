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

    public string Name { get; }
    public string ConnectionString { get; }
    /// <summary>The vhost, as the administrator (who may do anything there); ActingAs gives a service's account.</summary>
    public RabbitMqSettings RabbitMq { get; }

    private Isolation(string name, int? maxPoolSize, bool keep)
    {
        Name = name;
        _keep = keep;
        ConnectionString = SharedServers.ConnectionStringOf(name, maxPoolSize);
        RabbitMq = Administrator with { VirtualHost = name };
    }

    /// <param name="prefix">Names the database and vhost (pj_test, pj_chaos, pj_bench): one left behind says whose it is.</param>
    /// <param name="maxPoolSize">The connection pool of the in-process hosts (five services share one process); none for processes.</param>
    /// <param name="keep">Leave the database and vhost for a look afterwards.</param>
    public static async Task<Isolation> CreateAsync(string prefix = "pj_test", int? maxPoolSize = 40, bool keep = false)
    {
        var isolation = new Isolation($"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 17)], maxPoolSize, keep);
        await SharedServers.CreateDatabaseAsync(isolation.Name);

        using var http = ManagementApi();
        (await http.PutAsync($"vhosts/{isolation.Name}", null)).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync($"permissions/{isolation.Name}/{Administrator.Username}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        // The passwords the demo system beside the tests has (test.sh exports infra/up.sh's secrets): users are global.
        await BrokerAccounts.ApplyAsync(http, isolation.Name, BrokerAccounts.PasswordsFrom(Secrets));
        return isolation;
    }

    public async ValueTask DisposeAsync()
    {
        if (_keep) return;
        NpgsqlConnection.ClearAllPools();
        using (var http = ManagementApi())
            await http.DeleteAsync($"vhosts/{Name}");
        await SharedServers.DropDatabaseAsync(Name); // left behind, named for its prefix, if it cannot be dropped
    }

    /// <summary>The runner's settings: the service accounts' passwords as the running system has them (RabbitMq__Accounts__*).</summary>
    public static IConfiguration Secrets => SharedServers.Configuration;

    /// <summary>The broker's administrator (RabbitMq__Admin__*), on the tests' own vhosts too.</summary>
    public static RabbitMqSettings Administrator { get; } = BrokerAccounts.Administrator(SharedServers.Settings.RabbitMq, Secrets);

    public static HttpClient ManagementApi() => BrokerAccounts.ManagementApi(Administrator);
}
