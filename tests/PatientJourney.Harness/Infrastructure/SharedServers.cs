using Microsoft.Extensions.Configuration;
using Npgsql;
using PatientJourney.StoreAndBus;

namespace PatientJourney.Harness;

/// <summary>The machine's PostgreSQL and RabbitMQ, as infra/up.sh started them.</summary>
public static class SharedServers
{
    /// <summary>The runner's settings (test.sh exports infra/up.sh's secrets file): the administrator and each service's password.</summary>
    public static IConfiguration Configuration { get; } = new ConfigurationBuilder().AddEnvironmentVariables().Build();

    public static InfrastructureSettings Settings { get; } = InfrastructureSettings.From(Configuration);

    /// <summary>A database of the shared server (or of <paramref name="server"/>, a cluster of a test's own), as the services reach it.</summary>
    public static string ConnectionStringOf(string database, int? maxPoolSize = null, string? server = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(server ?? Settings.PostgresConnectionString) { Database = database };
        if (maxPoolSize is { } size) builder.MaxPoolSize = size;
        return builder.ConnectionString;
    }

    public static async Task CreateDatabaseAsync(string database, string? server = null)
    {
        await using var admin = await OpenAdminAsync(server);
        await using var create = new NpgsqlCommand($"create database {database}", admin);
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Drops a database of a test or benchmark's own. Autovacuum, busy with rows just loaded, may hold it, and our role
    /// may not terminate a superuser's worker ("must be a member of the role whose process is being terminated"): tried
    /// again briefly, then left behind (its name says whose it is) rather than fail a finished run.
    /// </summary>
    public static async Task DropDatabaseAsync(string database, string? server = null)
    {
        await using var admin = await OpenAdminAsync(server);
        for (var attempt = 1; attempt <= 20; attempt++)
        {
            try
            {
                await using var drop = new NpgsqlCommand($"drop database if exists {database} with (force)", admin);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException)
            {
                await Task.Delay(250);
            }
        }
    }

    private static async Task<NpgsqlConnection> OpenAdminAsync(string? server)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server ?? Settings.PostgresConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
