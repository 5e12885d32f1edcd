using JasperFx.Events.Daemon;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using PatientJourney.DepartmentKit.Outbox;
using PatientJourney.Hosting.Security;
using PatientJourney.StoreAndBus;
using PatientJourney.StoreAndBus.EventStore;
using PatientJourney.StoreAndBus.Messaging;

namespace PatientJourney.DepartmentKit;

/// <summary>
/// A department's source of truth: one Marten stream per patient in the department's own schema,
/// with the outbox subscription that forwards every accepted event to the bus.
/// </summary>
public static class DepartmentEventStore
{
    /// <param name="rule">The department's own rule over every decision of its commands, if it has one.</param>
    public static WebApplicationBuilder AddDepartmentEventStore(this WebApplicationBuilder builder, string department, DepartmentRule? rule = null)
    {
        var settings = InfrastructureSettings.From(builder.Configuration);
        builder.Services.AddSingleton(settings);
        if (rule is not null) builder.Services.AddSingleton(rule);
        builder.Services.AddSingleton(HospitalTerminology.From(builder.Configuration));
        builder.Services.ConfigureAll<Microsoft.AspNetCore.OpenApi.OpenApiOptions>(RequiredFields.Describe);
        var backlog = OutboxBacklog.From(builder.Configuration);
        var wakeup = OutboxWakeup.From(builder.Configuration, backlog);
        // Before Marten's daemon (hosted services start in order): it would make the tables it needs itself, racing with it.
        builder.Services.AddStoreSchema(department, OutboxGaps.EnsureAsync);
        builder.Services.AddMarten(opts =>
            {
                opts.ConfigureClinicalEventStore(settings.PostgresConnectionString, department);
                opts.Schema.For<IdempotentRequest>();
                // The outbox is woken by each commit; the daemon's poll is only the safety net.
                opts.Listeners.Add(wakeup);
                opts.Projections.Wakeup = wakeup;
                (opts.Projections.FastPollingTime, opts.Projections.SlowPollingTime) = OutboxWakeup.Polling;
                // Several instances of a department share its store: one of them forwards (HotCold below), and the
                // others ask for its lock this often, so a killed forwarder is replaced within about this time.
                opts.Projections.LeadershipPollingTime = OutboxLeadership.PollingTime(builder.Configuration);
            })
            .AddSubscriptionWithServices<OutboxForwarder>(ServiceLifetime.Singleton, o =>
            {
                o.Options.BatchSize = 1000;
            })
            // One forwarder per department across every instance: Marten's daemon holds a PostgreSQL advisory lock per
            // shard (its id computed from the schema, so the four departments of one database do not share it); two
            // Solo daemons would both forward and fail on the progression (Marten issue 3167).
            .AddAsyncDaemon(DaemonMode.HotCold)
            .UseLightweightSessions();
        builder.Services.AddParameterFreeMartenLogging().AddStoreAndBusTelemetry();
        var broker = BrokerAccounts.Connection(settings.RabbitMq, builder.Configuration, department);
        DevelopmentSecrets.EnsureNoneOutsideDevelopment(builder.Environment, broker, settings.PostgresConnectionString);
        builder.Services.AddPatientJourneyBus(broker);
        builder.Services.AddSingleton(_ => JourneyQueueWatch.From(broker, builder.Configuration));
        builder.Services.AddPostgresReadiness(settings.PostgresConnectionString);
        builder.Services.AddSingleton(new DepartmentName(department));
        builder.Services.AddSingleton(backlog);
        builder.Services.AddHostedService<OutboxGapSweeper>();
        builder.Services.AddSingleton(wakeup);
        builder.Services.AddSingleton<DepartmentWriter>().AddHostedService<OutboxBacklogGauge>();
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policies.RecordDepartmentFacts, p => p.RequireRole(Roles.Department(department)));
        return builder;
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
