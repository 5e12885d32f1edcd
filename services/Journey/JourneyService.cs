using Marten;
using MassTransit;
using PatientJourney.Hosting.Security;
using PatientJourney.StoreAndBus;
using PatientJourney.StoreAndBus.Messaging;
using PatientJourney.StoreAndBus.EventStore;
using PatientJourney.Contracts;
using PatientJourney.Journey.Audit;
using PatientJourney.Journey.Changes;
using PatientJourney.Journey.Fhir;
using PatientJourney.Journey.Measurements;
using PatientJourney.Journey.Merging;
using PatientJourney.Journey.PatientJourneys;
using PatientJourney.Journey.Patients;
using PatientJourney.Journey.Projections;
using PatientJourney.Journey.Reading;
using PatientJourney.Journey.Recording;
using PatientJourney.Journey.Store;
using PatientJourney.Journey.Surveillance;
using PatientJourney.Journey.Telemetry;
using PatientJourney.Journey.Worklist;
using PatientJourney.PlanDefinitions;

namespace PatientJourney.Journey;

/// <summary>
/// The journey: consumes every department's events, one stream per patient, and serves the read API. This file only
/// composes the slices (the recording, one folder a query); the schema's name is <see cref="JourneyStore.Schema"/>.
/// </summary>
public sealed class JourneyService
{
    public const int DefaultPort = 5100;
    public const string QueueName = BrokerAccounts.JourneyQueue;
}

public static class JourneyServiceExtensions
{
    /// <summary>The journey's event store and read models, as the service, its tools, benchmarks and tests open them.</summary>
    public static void ConfigureJourneyStore(this StoreOptions opts, string connectionString)
    {
        opts.ConfigureClinicalEventStore(connectionString, JourneyStore.Schema);
        PatientReadModels.Configure(opts);
        MergedRecords.Configure(opts);
    }

    /// <summary>A store of the journey's own outside the service (tools, benchmarks, tests).</summary>
    public static DocumentStore OpenJourneyStore(string connectionString) => DocumentStore.For(opts => opts.ConfigureJourneyStore(connectionString));

    public static WebApplicationBuilder AddJourney(this WebApplicationBuilder builder)
    {
        var settings = InfrastructureSettings.From(builder.Configuration);
        // The hospital's protocols and rules, in force before the first event is read.
        builder.AddSurveillancePlanDefinitions();
        builder.Services.AddMarten(opts => opts.ConfigureJourneyStore(settings.PostgresConnectionString)).UseLightweightSessions();
        builder.Services.AddParameterFreeMartenLogging().AddStoreAndBusTelemetry();
        // A session that writes reads the primary; the audit routes only read with it.
        builder.Services.AddKeyedScoped<IQuerySession>(JourneyStore.Primary, (sp, _) => sp.GetRequiredService<IDocumentStore>().LightweightSession());
        builder.Services.AddSingleton<JourneyRecorder>();
        builder.Services.AddSingleton<JourneyChanges>();
        builder.Services.AddHostedService(sp => new JourneyChangeListener(sp.GetRequiredService<IDocumentStore>(), sp.GetRequiredService<JourneyChanges>(),
            sp.GetRequiredService<ILogger<JourneyChangeListener>>(), ClinicalEventStore.IsPrimaryWithStandbys(settings.PostgresConnectionString)));
        // The journey's own tables beside Marten's: the counts' totals and triggers and the chain's links, before the first write.
        builder.Services.AddStoreSchema(JourneyStore.Schema, EventChain.EnsureAsync, WorklistCounts.EnsureAsync);
        builder.Services.AddHostedService<WorklistCountsCompactor>();
        builder.Services.AddPostgresReadiness(settings.PostgresConnectionString);

        var retryLimit = builder.Configuration.GetValue<int?>("Journey:RetryLimit") ?? 10;
        var consumers = ContractEvents.All.Select(t => typeof(ClinicalEventConsumer<>).MakeGenericType(t))
            .Concat(ContractBatches.All.Select(t => typeof(ClinicalEventBatchConsumer<,>).MakeGenericType(t, t.BaseType!.GetGenericArguments()[0])))
            .ToArray();
        var broker = BrokerAccounts.Connection(settings.RabbitMq, builder.Configuration, BrokerAccounts.Journey);
        DevelopmentSecrets.EnsureNoneOutsideDevelopment(builder.Environment, broker, settings.PostgresConnectionString);
        builder.Services.AddHostedService(sp => new JourneyGauges(sp.GetRequiredService<IDocumentStore>(), broker, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddPatientJourneyBus(broker,
            x =>
            {
                foreach (var consumer in consumers)
                    x.AddConsumer(consumer, consumer.GetGenericTypeDefinition() == typeof(ClinicalEventBatchConsumer<,>)
                        ? typeof(ClinicalEventBatchConsumerDefinition<,>).MakeGenericType(consumer.GetGenericArguments()) : null);
            },
            (context, cfg) => cfg.ReceiveEndpoint(JourneyService.QueueName, e =>
            {
                e.SetQuorumQueue();
                // The reason travels with the dead letter (MT-Fault-* headers); no Fault<T> events, so the journey's
                // broker user needs no exchanges beyond its own.
                e.PublishFaults = false;
                // Enough events in hand for the recorder to commit hundreds at a time (group commit): a batch message
                // holds up to 50 of them, so batches are limited further per consumer (ClinicalEventBatchConsumerDefinition).
                e.PrefetchCount = 100;
                e.ConcurrentMessageLimit = 100;
                // Concurrent appends to one patient's stream fail on its version and are retried; a message
                // that still fails goes to journey-events_error with its reason in MT-Fault-* headers.
                e.UseMessageRetry(r =>
                {
                    // Refused for good: a wrong sender or event, or content that cannot be read (retrying cannot fix it).
                    r.Ignore<InvalidClinicalEventException>();
                    r.Ignore<System.Text.Json.JsonException>();
                    r.Ignore<System.Runtime.Serialization.SerializationException>();
                    r.Exponential(retryLimit, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50));
                });
                foreach (var consumer in consumers) e.ConfigureConsumer(context, consumer);
            }));
        return builder;
    }

    /// <summary>The journey's read API: each route mapped by its own slice, in the order of the API description.</summary>
    public static IEndpointRouteBuilder MapJourneyApi(this IEndpointRouteBuilder app)
    {
        // Clinicians read the present; what was known at an earlier time is an audit question.
        var read = app.MapGroup("").WithTags("Journey").RequireAuthorization(Policies.ReadJourney).AddEndpointFilter(QueryParameters.AsKnownAtIsForAuditors)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        read.MapListPatients();
        read.MapGetJourney().RedirectMergedRecords();
        read.MapGetResponses().RedirectMergedRecords();
        read.MapGetSurveillance().RedirectMergedRecords();
        read.MapGetSurveillanceCarePlan().RedirectMergedRecords();
        read.MapGetWorklist();
        read.MapGetMeasurements().RedirectMergedRecords();
        read.MapWatchJourney().RedirectMergedRecords();

        var audit = app.MapGroup("").WithTags("Audit").RequireAuthorization(Policies.Audit)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        audit.MapGetEvents();
        audit.MapVerifyChain();
        audit.MapExportFhir().RedirectMergedRecords();

        app.MapPlanDefinitions();
        app.MapRebuildReadModels();
        return app;
    }
}
