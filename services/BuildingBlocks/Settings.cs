using Microsoft.Extensions.Configuration;

namespace PatientJourney.BuildingBlocks;

/// <summary>Where the infrastructure is; every value can be overridden by configuration or environment.</summary>
public sealed record InfrastructureSettings(string PostgresConnectionString, RabbitMqSettings RabbitMq)
{
    public const string DefaultPostgres =
        "Host=localhost;Port=5432;Database=patientjourney;Username=patientjourney;Password=patientjourney";

    public static InfrastructureSettings From(IConfiguration configuration) => new(
        configuration.GetConnectionString("Postgres") ?? DefaultPostgres,
        new RabbitMqSettings(
            configuration["RabbitMq:Host"] ?? "localhost",
            ushort.TryParse(configuration["RabbitMq:Port"], out var port) ? port : (ushort)5672,
            configuration["RabbitMq:VirtualHost"] ?? "patientjourney",
            configuration["RabbitMq:Username"] ?? "patientjourney",
            configuration["RabbitMq:Password"] ?? "patientjourney"));
}

public sealed record RabbitMqSettings(string Host, ushort Port, string VirtualHost, string Username, string Password);
