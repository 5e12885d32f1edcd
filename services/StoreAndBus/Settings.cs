using Microsoft.Extensions.Configuration;
using PatientJourney.StoreAndBus.Messaging;

namespace PatientJourney.StoreAndBus;

/// <summary>Where the infrastructure is; every value can be overridden by configuration or environment.</summary>
public sealed record InfrastructureSettings(string PostgresConnectionString, RabbitMqSettings RabbitMq)
{
    /// <summary>What a department's outbox publishes (Bus:Messages): contract v2 batches unless set to v1 events.</summary>
    public BusMessages BusMessages { get; init; } = BusMessages.Batches;

    public const string DefaultPostgres =
        "Host=localhost;Port=5432;Database=patientjourney;Username=patientjourney;Password=patientjourney";

    public static InfrastructureSettings From(IConfiguration configuration) => new(
        WithoutTlsOnLoopback(configuration.GetConnectionString("Postgres") ?? DefaultPostgres),
        new RabbitMqSettings(
            configuration["RabbitMq:Host"] ?? "localhost",
            ushort.TryParse(configuration["RabbitMq:Port"], out var port) ? port : (ushort)5672,
            configuration["RabbitMq:VirtualHost"] ?? "patientjourney",
            configuration["RabbitMq:Username"] ?? "patientjourney",
            configuration["RabbitMq:Password"] ?? "patientjourney")
        {
            ManagementPort = ushort.TryParse(configuration["RabbitMq:ManagementPort"], out var management) ? management : (ushort)15672,
            Nodes = RabbitMqSettings.ParseNodes(configuration["RabbitMq:Nodes"]),
        })
    {
        // Read with the rest, when every service starts: a wrong value stops it there, not at its outbox's first page.
        BusMessages = BusMessagesSetting.From(configuration),
    };

    // A record prints its members, the connection string's password with them: never to a log or an exception message.
    public override string ToString()
    {
        var postgres = new Npgsql.NpgsqlConnectionStringBuilder(PostgresConnectionString);
        return $"PostgreSQL {postgres.Username}@{postgres.Host}:{postgres.Port}/{postgres.Database}, RabbitMQ {RabbitMq}";
    }

    /// <summary>
    /// PostgreSQL on the same machine gets no TLS unless the connection string asks for it: loopback traffic never
    /// leaves the kernel, and Npgsql's default (Prefer) against Debian's ssl = on made every round trip pay for TLS, a
    /// large share of the pipeline's throughput (measured in docs/benchmarks-history.md). Any other host keeps what the operator wrote
    /// (docs/security.md).
    /// </summary>
    public static string WithoutTlsOnLoopback(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("SSL Mode") || given.ContainsKey("SslMode")) return connectionString;
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var loopback = builder.Host?.Split(',').All(h => h.Trim() is "localhost" or "127.0.0.1" or "::1" or "[::1]") ?? false;
        if (!loopback) return connectionString;
        builder.SslMode = Npgsql.SslMode.Disable;
        return builder.ConnectionString;
    }
}
