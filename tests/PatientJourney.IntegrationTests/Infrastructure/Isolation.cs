using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Npgsql;
using PatientJourney.BuildingBlocks;

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
    public RabbitMqSettings RabbitMq { get; }

    private Isolation(string name)
    {
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(Shared.PostgresConnectionString) { Database = name, MaxPoolSize = 40 }.ConnectionString;
        RabbitMq = Shared.RabbitMq with { VirtualHost = name };
    }

    public static async Task<Isolation> CreateAsync()
    {
        var isolation = new Isolation($"pj_test_{Guid.NewGuid():N}"[..24]);
        await using (var admin = await OpenAdminAsync())
        await using (var create = new NpgsqlCommand($"create database {isolation.Name}", admin))
            await create.ExecuteNonQueryAsync();

        using var http = ManagementApi();
        (await http.PutAsync($"vhosts/{isolation.Name}", null)).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync($"permissions/{isolation.Name}/{Shared.RabbitMq.Username}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
        await BrokerAccounts.ApplyAsync(http, isolation.Name);
        return isolation;
    }

    public async ValueTask DisposeAsync()
    {
        using (var http = ManagementApi())
            await http.DeleteAsync($"vhosts/{Name}");
        NpgsqlConnection.ClearAllPools();
        // A background worker of the server (autovacuum) may hold the database for a moment, and our role may not
        // terminate it: try again briefly, then leave the database (named pj_test_*) rather than fail a test.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var admin = await OpenAdminAsync();
                await using var drop = new NpgsqlCommand($"drop database if exists {Name} with (force)", admin);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException) when (attempt < 20)
            {
                await Task.Delay(250);
            }
            catch (PostgresException)
            {
                return;
            }
        }
    }

    private static async Task<NpgsqlConnection> OpenAdminAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Shared.PostgresConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public static HttpClient ManagementApi() => BrokerAccounts.ManagementApi(Shared.RabbitMq);
}
