using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using PatientJourney.BuildingBlocks;
using PatientJourney.Contracts;

namespace PatientJourney.ContractSchemas;

/// <summary>
/// JSON Schema for every contract event and an AsyncAPI document for the bus, generated from contracts/ with the
/// same serializer options the services use, so what is published is what is documented.
/// </summary>
public static class ContractSchemaGenerator
{
    public const string Folder = "docs/contracts";

    public static JsonObject SchemaOf(Type eventType)
    {
        var schema = JsonDefaults.Options.GetJsonSchemaAsNode(eventType, new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true }).AsObject();
        var ordered = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"urn:patientjourney:contracts:v1:{eventType.Name}",
            ["title"] = eventType.Name,
            ["description"] = $"{eventType.Name}, published by the {ContractEvents.DepartmentOf(eventType)} department",
        };
        foreach (var (key, value) in schema) ordered[key] = value?.DeepClone();
        return ordered;
    }

    /// <summary>File name (under docs/contracts) to content.</summary>
    public static IReadOnlyDictionary<string, string> Generate()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var options = new JsonSerializerOptions { WriteIndented = true };
        var messages = new JsonObject();
        var channels = new JsonObject();
        var operations = new JsonObject();
        foreach (var type in ContractEvents.All)
        {
            var schema = SchemaOf(type);
            files[$"events/{type.Name}.schema.json"] = schema.ToJsonString(options) + "\n";
            var exchange = $"{type.Namespace}:{type.Name}";
            messages[type.Name] = new JsonObject
            {
                ["name"] = type.Name,
                ["contentType"] = "application/vnd.masstransit+json",
                ["summary"] = $"MassTransit envelope whose \"message\" is the {type.Name} event; \"messageType\" is [\"urn:message:{exchange}\"]. A plain JSON body of the event is also accepted by consumers configured for raw JSON.",
                ["payload"] = new JsonObject { ["$ref"] = $"./events/{type.Name}.schema.json" },
            };
            channels[type.Name] = new JsonObject
            {
                ["address"] = exchange,
                ["description"] = "RabbitMQ fanout exchange, durable",
                ["messages"] = new JsonObject { [type.Name] = new JsonObject { ["$ref"] = $"#/components/messages/{type.Name}" } },
                ["bindings"] = new JsonObject { ["amqp"] = new JsonObject { ["is"] = "routingKey", ["exchange"] = new JsonObject { ["name"] = exchange, ["type"] = "fanout", ["durable"] = true, ["autoDelete"] = false } } },
            };
            operations[$"publish{type.Name}"] = new JsonObject
            {
                ["action"] = "send",
                ["summary"] = $"The {ContractEvents.DepartmentOf(type)} department publishes {type.Name} once it is durable in its own store",
                ["channel"] = new JsonObject { ["$ref"] = $"#/channels/{type.Name}" },
            };
            operations[$"journeyReceives{type.Name}"] = new JsonObject
            {
                ["action"] = "receive",
                ["summary"] = "The journey consumes it from its quorum queue journey-events, bound to this exchange",
                ["channel"] = new JsonObject { ["$ref"] = $"#/channels/{type.Name}" },
            };
        }
        var asyncApi = new JsonObject
        {
            ["asyncapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "PatientJourney department events", ["version"] = "1.0.0", ["description"] = "Every clinical fact a department accepts, as published on RabbitMQ. Generated from contracts/ by tools/ContractSchemas." },
            ["defaultContentType"] = "application/vnd.masstransit+json",
            ["servers"] = new JsonObject { ["rabbitmq"] = new JsonObject { ["host"] = "localhost:5672", ["pathname"] = "/patientjourney", ["protocol"] = "amqp", ["protocolVersion"] = "0.9.1" } },
            ["channels"] = channels,
            ["operations"] = operations,
            ["components"] = new JsonObject { ["messages"] = messages },
        };
        files["asyncapi.json"] = asyncApi.ToJsonString(options) + "\n";
        return files;
    }
}
