using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using PatientJourney.Hosting;

namespace PatientJourney.StoreAndBus.EventStore;

public static class PostgresReadiness
{
    /// <summary>Readiness of a service that keeps its state in PostgreSQL.</summary>
    public static IServiceCollection AddPostgresReadiness(this IServiceCollection services, string connectionString)
    {
        services.AddHealthChecks().AddCheck("postgres", new PostgresHealthCheck(connectionString), tags: [ServiceDefaults.ReadyTag]);
        return services;
    }

    private sealed class PostgresHealthCheck(string connectionString) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("select 1", connection);
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                return HealthCheckResult.Unhealthy("PostgreSQL is unreachable", ex);
            }
        }
    }
}
