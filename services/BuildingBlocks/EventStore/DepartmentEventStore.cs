using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PatientJourney.Contracts;
using PatientJourney.BuildingBlocks.Security;

namespace PatientJourney.BuildingBlocks.EventStore;

/// <summary>
/// A department's source of truth: one Marten stream per patient in the department's own schema,
/// with the outbox subscription that forwards every accepted event to the bus.
/// </summary>
public static class DepartmentEventStore
{
    public static WebApplicationBuilder AddDepartmentEventStore(this WebApplicationBuilder builder, string department)
    {
        var settings = InfrastructureSettings.From(builder.Configuration);
        var backlog = OutboxBacklog.From(builder.Configuration);
        var wakeup = OutboxWakeup.From(builder.Configuration, backlog);
        builder.Services.AddMarten(opts =>
            {
                opts.ConfigureClinicalEventStore(settings.PostgresConnectionString, department);
                opts.Schema.For<IdempotentRequest>();
                // The outbox is woken by each commit; the daemon's poll is only the safety net.
                opts.Listeners.Add(wakeup);
                opts.Projections.Wakeup = wakeup;
                (opts.Projections.FastPollingTime, opts.Projections.SlowPollingTime) = OutboxWakeup.Polling;
            })
            .AddSubscriptionWithServices<OutboxForwarder>(ServiceLifetime.Singleton, o =>
            {
                o.Options.BatchSize = 1000;
            })
            .AddAsyncDaemon(DaemonMode.Solo)
            .UseLightweightSessions();
        builder.Services.AddParameterFreeMartenLogging();
        var broker = BrokerAccounts.Connection(settings.RabbitMq, builder.Configuration, department);
        DevelopmentSecrets.EnsureNoneOutsideDevelopment(builder.Environment, broker, settings.PostgresConnectionString);
        builder.Services.AddPatientJourneyBus(broker);
        builder.Services.AddSingleton(_ => JourneyQueueWatch.From(broker, builder.Configuration));
        builder.Services.AddPostgresReadiness(settings.PostgresConnectionString);
        builder.Services.AddSingleton(new DepartmentName(department));
        builder.Services.AddSingleton(backlog);
        builder.Services.AddSingleton(wakeup);
        builder.Services.AddSingleton<Http.DepartmentWriter>();
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policies.RecordDepartmentFacts, p => p.RequireRole(Roles.Department(department)));
        return builder;
    }

    /// <summary>
    /// The connection a store of clinical events uses. Nothing a session leaves behind outlives its transaction (the
    /// stream locks are transaction locks), so a pooled connection needs no DISCARD ALL round trip each time a session
    /// returns it. Every write repeats the same few statements (append, view upsert, chain link): prepared on the
    /// connection after their second use, PostgreSQL no longer parses and plans each one (a large share of its CPU per
    /// event; docs/benchmarks-history.md, "prepared statements"). Marten names its columns in every statement, so a table altered while the
    /// services run does not change a prepared statement's result type. Each write sends a batch's rows (a few hundred
    /// events' JSON in one statement) and each outbox page reads them back: 64 KB buffers instead of Npgsql's 8 KB move
    /// them in fewer system calls (more events end to end, back to back; docs/benchmarks-history.md, "64 KB socket buffers"). What
    /// the operator's connection string says wins.
    /// </summary>
    public static string ClinicalStoreConnection(string connectionString)
    {
        const int BatchBufferSize = 64 * 1024;
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            connection.MaxAutoPrepare = 100;
            if (!given.ContainsKey("Auto Prepare Min Usages") && !given.ContainsKey("AutoPrepareMinUsages")) connection.AutoPrepareMinUsages = 2;
        }
        if (!given.ContainsKey("Write Buffer Size") && !given.ContainsKey("WriteBufferSize")) connection.WriteBufferSize = BatchBufferSize;
        if (!given.ContainsKey("Read Buffer Size") && !given.ContainsKey("ReadBufferSize")) connection.ReadBufferSize = BatchBufferSize;
        return connection.ConnectionString;
    }

    /// <summary>Marten settings shared by every store of clinical events (departments and journey).</summary>
    public static void ConfigureClinicalEventStore(this StoreOptions opts, string connectionString, string schema)
    {
        opts.Connection(ClinicalStoreConnection(connectionString));
        opts.DatabaseSchemaName = schema;
        opts.Events.DatabaseSchemaName = schema;
        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        opts.UseSystemTextJsonForSerialization(configure: o => JsonDefaults.Configure(o));
        opts.Events.StreamIdentity = StreamIdentity.AsString;
        opts.Events.EnableUniqueIndexOnEventId = true;
        // A skipped event is a lost clinical fact: stop and retry instead.
        opts.Projections.Errors.SkipApplyErrors = false;
        opts.Projections.Errors.SkipSerializationErrors = false;
        opts.Projections.Errors.SkipUnknownEvents = false;
        foreach (var type in ContractEvents.All)
            opts.Events.AddEventType(type);
    }
}

public sealed record DepartmentName(string Value);

/// <summary>An Idempotency-Key already answered, so a repeat gets the same eventId.</summary>
public sealed class IdempotentRequest
{
    public required string Id { get; set; }
    public required Guid EventId { get; set; }
    public required string PatientId { get; set; }
    public required string Type { get; set; }
}

/// <summary>
/// Marten fills the sequence numbers of a transaction that failed half-way (a database restart, say) with "tombstone"
/// events on a stream of its own, so that its async daemon does not wait on a gap. They are no clinical fact and
/// no patient: whatever lists streams or counts events leaves them out.
/// </summary>
public static class Tombstones
{
    public const string StreamId = "mt_tombstone";
    public const string EventType = "tombstone";

    /// <summary>Every patient's stream id in a schema, in ordinal order.</summary>
    public static string PatientStreamsSql(string schema) => $"select id from {schema}.mt_streams where id <> '{StreamId}' order by id collate \"C\"";

    /// <summary>SQL selecting a column of the clinical events of a schema.</summary>
    public static string ClinicalEventsSql(string schema, string select) => $"select {select} from {schema}.mt_events where type <> '{EventType}'";
}
