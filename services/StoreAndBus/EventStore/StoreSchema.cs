using Marten;
using Marten.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using PatientJourney.Hosting;

namespace PatientJourney.StoreAndBus.EventStore;

/// <summary>
/// Creates or updates a store's tables once at start, under a PostgreSQL advisory lock of the schema's, so that several
/// instances starting together on a new database do not create the same table at the same moment (one of them then
/// fails: seen with two department instances). Marten would otherwise create each table on its first use, in whichever
/// request or batch came first. Until it is done the service is not ready, and its writers wait for it; with PostgreSQL
/// away it tries again, so a service still starts, as it starts without the broker.
/// </summary>
public sealed partial class StoreSchema(IDocumentStore store, string schema, IReadOnlyList<Func<IDocumentStore, CancellationToken, Task>> installers,
    ILogger<StoreSchema> logger) : BackgroundService, IHealthCheck
{
    private readonly TaskCompletionSource _applied = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Done once the store's tables exist: what a writer awaits before its first transaction.</summary>
    public Task AppliedAsync(CancellationToken ct) => _applied.Task.IsCompleted ? Task.CompletedTask : _applied.Task.WaitAsync(ct);

    /// <summary>
    /// Tried once before the hosted services after it start (Marten's daemon makes the tables it needs itself, and would
    /// race with this): with PostgreSQL away the service starts anyway and the tables are made in the background.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Not longer than this: a service starts without PostgreSQL, as it starts without the broker.
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(TimeSpan.FromSeconds(5));
            await ApplyAsync(bounded.Token);
            return;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogNotYet(logger, schema, ex.GetType().Name);
        }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ApplyAsync(stoppingToken);
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogNotYet(logger, schema, ex.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), stoppingToken);
            }
        }
    }

    private async Task ApplyAsync(CancellationToken stoppingToken)
    {
        await using var connection = store.Storage.Database.CreateConnection(ConnectionUsage.ReadWrite);
        await connection.OpenAsync(stoppingToken);
        await LockAsync(connection, "pg_advisory_lock", stoppingToken);
        try
        {
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            foreach (var install in installers) await install(store, stoppingToken);
        }
        finally
        {
            // Released here: the pool keeps the connection, and the lock with it (the stores skip DISCARD ALL).
            if (connection.State == System.Data.ConnectionState.Open) await LockAsync(connection, "pg_advisory_unlock", CancellationToken.None);
        }
        _applied.TrySetResult();
    }

    private async Task LockAsync(NpgsqlConnection connection, string function, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select {function}(hashtext($1))", connection) { Parameters = { new() { Value = "patientjourney schema " + schema } } };
        await command.ExecuteNonQueryAsync(ct);
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_applied.Task.IsCompletedSuccessfully ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("the store's tables are not created yet"));

    [LoggerMessage(LogLevel.Warning, "The tables of schema {Schema} could not be created or checked yet ({Error}); trying again")]
    private static partial void LogNotYet(ILogger logger, string schema, string error);
}

public static class StoreSchemaRegistration
{
    /// <summary>
    /// Registers the store's schema creation (before the hosted services after it: the bus, the outbox) and its readiness.
    /// </summary>
    /// <param name="installers">What the service creates beside Marten's tables (its own tables and triggers), under the same lock.</param>
    public static IServiceCollection AddStoreSchema(this IServiceCollection services, string schema, params Func<IDocumentStore, CancellationToken, Task>[] installers)
    {
        services.AddSingleton(sp => new StoreSchema(sp.GetRequiredService<IDocumentStore>(), schema, installers, sp.GetRequiredService<ILogger<StoreSchema>>()));
        services.AddHostedService(sp => sp.GetRequiredService<StoreSchema>());
        services.AddHealthChecks().AddCheck<StoreSchema>("schema", tags: [ServiceDefaults.ReadyTag]);
        return services;
    }
}
