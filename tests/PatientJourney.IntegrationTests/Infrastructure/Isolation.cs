using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Npgsql;
using PatientJourney.StoreAndBus;
using PatientJourney.StoreAndBus.Messaging;

namespace PatientJourney.IntegrationTests.Infrastructure;

/// <summary>
/// A database and a RabbitMQ vhost of a test's own on the real servers that infra/up.sh started, so tests run
/// in parallel, in any order, and beside the demo system.
/// </summary>
public sealed class Isolation : IAsyncDisposable
{
    private static readonly InfrastructureSettings Shared = InfrastructureSettings.From(new ConfigurationBuilder().AddEnvironmentVariables().Build());

    public string Name { get; }
    public string ConnectionString { get; }
    /// <summary>The test's vhost, as the administrator (who may do anything there); ActingAs gives a service's account.</summary>
    public RabbitMqSettings RabbitMq { get; }

    private Isolation(string name)
    {
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(Shared.PostgresConnectionString) { Database = name, MaxPoolSize = 40 }.ConnectionString;
        RabbitMq = Administrator with { VirtualHost = name };
    }

    public static async Task<Isolation> CreateAsync()
    {
        var isolation = new Isolation($"pj_test_{Guid.NewGuid():N}"[..24]);
        await using (var admin = await OpenAdminAsync())
        await using (var create = new NpgsqlCommand($"create database {isolation.Name}", admin))
            await create.ExecuteNonQueryAsync();

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
        using (var http = ManagementApi())
            await http.DeleteAsync($"vhosts/{Name}");
        NpgsqlConnection.ClearAllPools();
        await using var admin = await OpenAdminAsync();
        await Chaos.Infrastructure.DropDatabaseAsync(admin, Name);
    }

    private static async Task<NpgsqlConnection> OpenAdminAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Shared.PostgresConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>The runner's settings: the service accounts' passwords as the running system has them (RabbitMq__Accounts__*).</summary>
    public static IConfiguration Secrets => Chaos.Infrastructure.Configuration;

    /// <summary>The broker's administrator (RabbitMq__Admin__*), on the tests' own vhosts too.</summary>
    public static RabbitMqSettings Administrator { get; } = BrokerAccounts.Administrator(Shared.RabbitMq, Secrets);

    public static HttpClient ManagementApi() => BrokerAccounts.ManagementApi(Administrator);
}
