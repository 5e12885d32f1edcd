using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using MassTransit.Serialization.JsonConverters;
using Microsoft.Extensions.DependencyInjection;
using PatientJourney.Contracts;
using PatientJourney.Hosting;

namespace PatientJourney.StoreAndBus.Messaging;

/// <summary>RabbitMQ through MassTransit, wired the same way in every service.</summary>
public static class Bus
{
    public static IServiceCollection AddPatientJourneyBus(
        this IServiceCollection services,
        RabbitMqSettings rabbit,
        Action<IBusRegistrationConfigurator>? registerConsumers = null,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator>? configureEndpoints = null)
    {
        // Services start and answer even while the broker is away; MassTransit reconnects on its own.
        services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(10);
        });
        services.AddMassTransit(x =>
        {
            // The broker is not part of readiness: a department accepts facts while it is away (outbox).
            x.ConfigureHealthCheckOptions(o =>
            {
                o.Tags.Clear();
                o.Tags.Add(ServiceDefaults.BusTag);
            });
            // MassTransit otherwise reports usage to its vendor over the internet: nothing leaves a hospital network unasked.
            x.DisableUsageTelemetry();
            registerConsumers?.Invoke(x);
            x.UsingRabbitMq((context, cfg) =>
            {
                ConfigureBroker(cfg, rabbit);
                configureEndpoints?.Invoke(context, cfg);
            });
        });
        return services;
    }

    /// <summary>The broker, publisher confirms, the JSON dialect and the exchange topology every PatientJourney bus shares.</summary>
    public static void ConfigureBroker(IRabbitMqBusFactoryConfigurator cfg, RabbitMqSettings rabbit)
    {
        cfg.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, h =>
        {
            h.Username(rabbit.Username);
            h.Password(rabbit.Password);
            h.PublisherConfirmation = true;
            // A cluster: MassTransit connects to the first node that answers and moves to another when its node goes.
            if (rabbit.Nodes.Count > 0) h.UseCluster(c => { foreach (var node in rabbit.Nodes) c.Node(node); });
        });
        cfg.ConfigureJsonSerializerOptions(ContractJson);
        // user_id names the sender; RabbitMQ refuses it unless it is the connection's own user, so it cannot be forged.
        cfg.ConfigurePublish(p => p.UseExecute(context =>
        {
            if (context.TryGetPayload<RabbitMqSendContext>(out var rabbitContext)) rabbitContext.BasicProperties.UserId = rabbit.Username;
        }));
        // Exchanges are named by the contract's event and batch names; the abstract envelopes and batch bases get none.
        foreach (var envelope in WithoutExchange) cfg.Publish(envelope, p => p.Exclude = true);
    }

    /// <summary>
    /// The contract's JSON on the bus, as the schemas describe it: MassTransit writes decimals as strings by default
    /// (its StringDecimalJsonConverter), so "bsaM2": "1.97" would fail the schema. Strings are still read, so
    /// messages published before (in queues, error queues) stay readable.
    /// </summary>
    public static JsonSerializerOptions ContractJson(JsonSerializerOptions options)
    {
        JsonDefaults.Configure(options);
        foreach (var decimalsAsStrings in options.Converters.OfType<StringDecimalJsonConverter>().ToList()) options.Converters.Remove(decimalsAsStrings);
        options.NumberHandling = JsonNumberHandling.AllowReadingFromString;
        return options;
    }

    /// <summary>
    /// The contract's abstract types (the envelope, each department's envelope, the batch bases) and its interfaces (a
    /// retraction's), read from the contracts assembly: a new department's envelope gets no exchange of its own without a
    /// line here. An exchange for an interface would also be outside what a department's broker account may declare.
    /// </summary>
    public static IReadOnlyList<Type> WithoutExchange { get; } =
    [
        typeof(ClinicalEvent),
        .. typeof(ClinicalEvent).Assembly.GetTypes().Where(t => t.IsAbstract && t.IsSubclassOf(typeof(ClinicalEvent))).OrderBy(t => t.Name, StringComparer.Ordinal),
        .. typeof(ClinicalEvent).Assembly.GetTypes().Where(t => t.IsInterface && t.IsPublic).OrderBy(t => t.Name, StringComparer.Ordinal),
        .. ContractBatches.Bases,
    ];
}
