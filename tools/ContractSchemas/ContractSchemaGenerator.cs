using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using PatientJourney.Hosting;
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
        var schema = JsonDefaults.Options.GetJsonSchemaAsNode(eventType, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = MarkRetired,
        }).AsObject();
        var ordered = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"urn:patientjourney:contracts:v1:{eventType.Name}",
            ["title"] = eventType.Name,
            ["description"] = $"{eventType.Name}, published by the {ContractEvents.DepartmentOf(eventType)} department",
        };
        foreach (var (key, value) in schema) ordered[key] = value?.DeepClone();
        if (eventType.GetCustomAttribute<RetiredAttribute>() is { } retired)
        {
            ordered["description"] = $"Retired. {retired.Reason}. Kept so that {eventType.Name} events recorded before still read.";
            ordered["deprecated"] = true;
        }
        return ordered;
    }

    // A retired field is deprecated in the schema (JSON Schema 2020-12 meta-data vocabulary), with the reason.
    private static JsonNode MarkRetired(JsonSchemaExporterContext context, JsonNode schema)
    {
        if (context.PropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(RetiredAttribute), true).FirstOrDefault() is RetiredAttribute retired
            && schema is JsonObject field)
        {
            field["description"] = $"Retired. {retired.Reason}.";
            field["deprecated"] = true;
        }
        return schema;
    }

    private static bool IsRetired(Type type) => type.GetCustomAttribute<RetiredAttribute>() is not null;

    /// <summary>A department's batch (contract v2): its entries are the department's own events, each by its v1 schema.</summary>
    public static JsonObject BatchSchemaOf(Type batchType)
    {
        var department = ContractBatches.DepartmentOf(batchType);
        // Each entry is one of the department's events, told apart by its type (their schemas alone may overlap).
        var events = new JsonArray([.. ContractEvents.OwnedBy(department).Select(t => (JsonNode)new JsonObject
        {
            ["allOf"] = new JsonArray(
                new JsonObject { ["$ref"] = $"urn:patientjourney:contracts:v1:{t.Name}" },
                new JsonObject { ["required"] = new JsonArray("type"), ["properties"] = new JsonObject { ["type"] = new JsonObject { ["const"] = t.Name } } }),
        })]);
        return new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = $"urn:patientjourney:contracts:v2:{batchType.Name}",
            ["title"] = batchType.Name,
            ["description"] = $"Events of the {department} department forwarded together, in the order it recorded them; each entry is the event exactly as in its own v1 message (docs/contracts/events)",
            ["type"] = "object",
            ["required"] = new JsonArray("events"),
            ["properties"] = new JsonObject
            {
                ["events"] = new JsonObject { ["type"] = "array", ["minItems"] = 1, ["maxItems"] = ContractBatches.MaxEvents, ["items"] = new JsonObject { ["oneOf"] = events } },
            },
        };
    }

    private static string ExchangeOf(Type type) => $"{type.Namespace}:{type.Name}";

    /// <summary>File name (under docs/contracts) to content.</summary>
    public static IReadOnlyDictionary<string, string> Generate()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var options = new JsonSerializerOptions { WriteIndented = true };
        var messages = new JsonObject();
        var channels = new JsonObject();
        var operations = new JsonObject();
        // One channel (a fanout exchange named by the message type), its message and who sends and receives it.
        void Describe(Type type, string folder, string summary, string publishSummary, string receiveSummary)
        {
            messages[type.Name] = new JsonObject
            {
                ["name"] = type.Name,
                ["contentType"] = "application/vnd.masstransit+json",
                ["summary"] = summary,
                ["payload"] = new JsonObject { ["$ref"] = $"./{folder}/{type.Name}.schema.json" },
            };
            var exchange = ExchangeOf(type);
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
                ["summary"] = publishSummary,
                ["channel"] = new JsonObject { ["$ref"] = $"#/channels/{type.Name}" },
            };
            operations[$"journeyReceives{type.Name}"] = new JsonObject
            {
                ["action"] = "receive",
                ["summary"] = receiveSummary,
                ["channel"] = new JsonObject { ["$ref"] = $"#/channels/{type.Name}" },
            };
        }
        foreach (var type in ContractEvents.All)
        {
            files[$"events/{type.Name}.schema.json"] = SchemaOf(type).ToJsonString(options) + "\n";
            Describe(type, "events",
                (IsRetired(type) ? "Retired: no longer published; the journey still reads it from streams that hold it. " : "")
                + $"MassTransit envelope whose \"message\" is the {type.Name} event; \"messageType\" is [\"urn:message:{ExchangeOf(type)}\"]. A plain JSON body of the event is also accepted by consumers configured for raw JSON.",
                IsRetired(type) ? $"Retired: the {ContractEvents.DepartmentOf(type)} department no longer publishes {type.Name}" : $"The {ContractEvents.DepartmentOf(type)} department publishes {type.Name} once it is durable in its own store",
                "The journey consumes it from its quorum queue journey-events, bound to this exchange");
        }
        foreach (var type in ContractBatches.All)
        {
            var department = ContractBatches.DepartmentOf(type);
            files[$"batches/{type.Name}.schema.json"] = BatchSchemaOf(type).ToJsonString(options) + "\n";
            Describe(type, "batches",
                $"Contract v2: MassTransit envelope whose \"message\" holds up to {ContractBatches.MaxEvents} events of the {department} department, in the order it recorded them; \"messageType\" is [\"urn:message:{ExchangeOf(type)}\"]",
                $"The {department} department's outbox publishes each page of its durable events as batches (Bus:Messages=Batches, the default); with Bus:Messages=Events it publishes one message per event instead",
                "The journey consumes it from its quorum queue journey-events, bound to this exchange; a batch with anything invalid in it is refused whole");
        }
        var asyncApi = new JsonObject
        {
            ["asyncapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "PatientJourney department events", ["version"] = "3.0.0", ["description"] = "Every clinical fact a department accepts, as published on RabbitMQ: one message per event (contract v1) or the department's batches of them (contract v2, the default). Version 3 publishes measurements only: ResponseAssessed and PetCtResulted.metabolicResponse are retired, and a consumer that read them reads the responses the journey derives (GET /patients/{patientId}/responses, docs/api-contract.md) instead. Generated from contracts/ by tools/ContractSchemas." },
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
