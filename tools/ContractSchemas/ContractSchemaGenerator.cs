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

    // Each schema's $id is the address of its file under one base, so the relative $refs between files resolve the
    // same way by $id (ajv, JsonSchema.Net) as by file location (@asyncapi/parser, editors).
    private const string IdBase = "https://patientjourney.example/contracts/";

    public static string IdOf(string folder, Type type) => $"{IdBase}{folder}/{type.Name}.schema.json";

    // What the journey requires of every event besides its fact (ClinicalEvent.Validate, and type for a batch's entries).
    private static readonly string[] EnvelopeRequired = ["eventId", "patientId", "type", "department", "occurredOn", "recordedAt", "recordedBy", "schemaVersion"];

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
            ["$id"] = IdOf("events", eventType),
            ["title"] = eventType.Name,
            ["description"] = $"{eventType.Name}, published by the {ContractEvents.DepartmentOf(eventType)} department",
        };
        foreach (var (key, value) in schema) ordered[key] = value?.DeepClone();
        var properties = ordered["properties"]!.AsObject();
        properties["type"] = new JsonObject { ["type"] = "string", ["const"] = eventType.Name };
        properties["department"] = new JsonObject { ["type"] = "string", ["const"] = ContractEvents.DepartmentOf(eventType) };
        properties["schemaVersion"] = new JsonObject { ["type"] = "integer", ["const"] = 1 };
        var required = ordered["required"]!.AsArray().Select(r => (string)r!).ToList();
        ordered["required"] = new JsonArray([.. required.Concat(EnvelopeRequired.Except(required)).Select(r => (JsonNode)r)]);
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
        // Each entry is one of the department's events, told apart by its type (required and constant in each schema).
        var events = new JsonArray([.. ContractEvents.OwnedBy(department).Select(t => (JsonNode)new JsonObject { ["$ref"] = $"../events/{t.Name}.schema.json" })]);
        return new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = IdOf("batches", batchType),
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

    // The broker accounts as services/StoreAndBus/Messaging/BrokerAccounts.cs names them (BusMessageTests checks the
    // user_id of captured messages against UserOf); this tool carries no bus.
    public static string UserOf(string department) => $"pj-{department}";
    private const string JourneyUser = "pj-journey";
    private const string JourneyQueue = "journey-events";

    private static string ExchangeOf(Type type) => $"{type.Namespace}:{type.Name}";

    /// <summary>File name (under docs/contracts) to content.</summary>
    public static IReadOnlyDictionary<string, string> Generate()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var options = new JsonSerializerOptions { WriteIndented = true };
        var messages = new JsonObject();
        var channels = new JsonObject();
        var operations = new JsonObject();
        // One channel (a fanout exchange named by the message type), its message as sent (the MassTransit envelope
        // around the contract's JSON), the department account that may publish it and the journey that reads it.
        void Describe(Type type, string folder, string department, string summary, string publishSummary, string receiveSummary)
        {
            var exchange = ExchangeOf(type);
            messages[type.Name] = new JsonObject
            {
                ["name"] = type.Name,
                ["contentType"] = "application/vnd.masstransit+json",
                ["summary"] = summary,
                ["description"] = $"Sent with the AMQP properties content_type application/vnd.masstransit+json, delivery_mode 2 (persistent) and user_id {UserOf(department)} (or {UserOf(department)}.<system>, a hospital system given the department's rights with journey-admin broker-setup --department {department} --system <system>): the broker refuses a user_id other than the connection's user, and the journey refuses (dead-letters) a {type.Name} whose user_id is not one of the {department} department's accounts.",
                ["headers"] = new JsonObject { ["$ref"] = "#/components/schemas/AmqpHeaders" },
                ["payload"] = new JsonObject
                {
                    ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = "#/components/schemas/MassTransitEnvelope" }),
                    ["properties"] = new JsonObject
                    {
                        ["messageType"] = new JsonObject { ["contains"] = new JsonObject { ["const"] = $"urn:message:{exchange}" } },
                        ["message"] = new JsonObject { ["$ref"] = $"./{folder}/{type.Name}.schema.json" },
                    },
                },
            };
            channels[type.Name] = new JsonObject
            {
                ["address"] = exchange,
                ["description"] = $"RabbitMQ fanout exchange, durable. Written only by {UserOf(department)}; read by the journey ({JourneyUser}) through its queue {JourneyQueue}.",
                ["messages"] = new JsonObject { [type.Name] = new JsonObject { ["$ref"] = $"#/components/messages/{type.Name}" } },
                ["bindings"] = new JsonObject { ["amqp"] = new JsonObject { ["is"] = "routingKey", ["exchange"] = new JsonObject { ["name"] = exchange, ["type"] = "fanout", ["durable"] = true, ["autoDelete"] = false }, ["bindingVersion"] = "0.3.0" } },
            };
            operations[$"publish{type.Name}"] = new JsonObject
            {
                ["action"] = "send",
                ["summary"] = publishSummary,
                ["description"] = $"Only the {department} department's broker accounts ({UserOf(department)}, {UserOf(department)}.<system>) may write this exchange, and its messages carry the account as user_id. A reader account (pj-reader-<name>) may bind its own queues reader-<name>[.<anything>] to it.",
                ["channel"] = new JsonObject { ["$ref"] = $"#/channels/{type.Name}" },
                ["security"] = new JsonArray(new JsonObject { ["$ref"] = "#/components/securitySchemes/brokerAccount" }),
                ["bindings"] = new JsonObject { ["amqp"] = new JsonObject { ["userId"] = UserOf(department), ["deliveryMode"] = 2, ["mandatory"] = false, ["bindingVersion"] = "0.3.0" } },
            };
            operations[$"journeyReceives{type.Name}"] = new JsonObject
            {
                ["action"] = "receive",
                ["summary"] = receiveSummary,
                ["description"] = $"As the broker account {JourneyUser}, which may read the department exchanges and its own queues and write no department's exchange.",
                ["channel"] = new JsonObject { ["$ref"] = $"#/channels/{type.Name}" },
                ["security"] = new JsonArray(new JsonObject { ["$ref"] = "#/components/securitySchemes/brokerAccount" }),
                ["bindings"] = new JsonObject { ["amqp"] = new JsonObject { ["ack"] = true, ["bindingVersion"] = "0.3.0" } },
            };
        }
        foreach (var type in ContractEvents.All)
        {
            files[$"events/{type.Name}.schema.json"] = SchemaOf(type).ToJsonString(options) + "\n";
            Describe(type, "events", ContractEvents.DepartmentOf(type),
                (IsRetired(type) ? "Retired: no longer published; the journey still reads it from streams that hold it. " : "")
                + $"MassTransit envelope whose \"message\" is the {type.Name} event (contract v1, Bus:Messages=Events); \"messageType\" holds \"urn:message:{ExchangeOf(type)}\". Only the envelope is read: a plain JSON body is dead-lettered.",
                IsRetired(type) ? $"Retired: the {ContractEvents.DepartmentOf(type)} department no longer publishes {type.Name}" : $"The {ContractEvents.DepartmentOf(type)} department publishes {type.Name} once it is durable in its own store",
                "The journey consumes it from its quorum queue journey-events, bound to this exchange");
        }
        foreach (var type in ContractBatches.All)
        {
            var department = ContractBatches.DepartmentOf(type);
            files[$"batches/{type.Name}.schema.json"] = BatchSchemaOf(type).ToJsonString(options) + "\n";
            Describe(type, "batches", department,
                $"Contract v2: MassTransit envelope whose \"message\" holds up to {ContractBatches.MaxEvents} events of the {department} department, in the order it recorded them; \"messageType\" is [\"urn:message:{ExchangeOf(type)}\"]",
                $"The {department} department's outbox publishes each page of its durable events as batches (Bus:Messages=Batches, the default); with Bus:Messages=Events it publishes one message per event instead",
                "The journey consumes it from its quorum queue journey-events, bound to this exchange; a batch with anything invalid in it is refused whole");
        }
        var asyncApi = new JsonObject
        {
            ["asyncapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "PatientJourney department events", ["version"] = "3.0.0", ["description"] = "Every clinical fact a department accepts, as published on RabbitMQ: one message per event (contract v1) or the department's batches of them (contract v2, the default). Version 3 publishes measurements only: ResponseAssessed and PetCtResulted.metabolicResponse are retired, and a consumer that read them reads the responses the journey derives (GET /patients/{patientId}/responses, docs/api-contract.md) instead. Generated from contracts/ by tools/ContractSchemas." },
            ["defaultContentType"] = "application/vnd.masstransit+json",
            ["servers"] = new JsonObject
            {
                ["rabbitmq"] = new JsonObject
                {
                    ["host"] = "localhost:5672", ["pathname"] = "/patientjourney", ["protocol"] = "amqp", ["protocolVersion"] = "0.9.1",
                    ["security"] = new JsonArray(new JsonObject { ["$ref"] = "#/components/securitySchemes/brokerAccount" }),
                },
            },
            ["channels"] = channels,
            ["operations"] = operations,
            ["components"] = new JsonObject
            {
                ["messages"] = messages,
                ["schemas"] = new JsonObject { ["MassTransitEnvelope"] = JsonNode.Parse(MassTransitEnvelope), ["AmqpHeaders"] = JsonNode.Parse(AmqpHeaders) },
                ["securitySchemes"] = new JsonObject
                {
                    ["brokerAccount"] = new JsonObject
                    {
                        ["type"] = "userPassword",
                        ["description"] = $"Every service connects as its own RabbitMQ user: a department as pj-<department> ({string.Join(", ", Departments.All.Select(UserOf))}), writing only its own exchanges; the journey as {JourneyUser}. Outside systems get accounts from journey-admin broker-setup (docs/integration.md): pj-<department>.<system> with a department's rights, or pj-reader-<name>, which may declare queues reader-<name>[.<anything>], bind them to the department exchanges and read them, and nothing else.",
                    },
                },
            },
        };
        files["asyncapi.json"] = asyncApi.ToJsonString(options) + "\n";
        return files;
    }

    // The envelope MassTransit's System.Text.Json serializer writes around every message (its JsonMessageEnvelope), with
    // the bus's JSON options: absent values are written as null.
    private const string MassTransitEnvelope = """
        {
          "type": "object",
          "description": "The MassTransit envelope, as every department sends it (content type application/vnd.masstransit+json). \"message\" is the contract's JSON, exactly as its schema under docs/contracts describes it.",
          "required": ["messageId", "messageType", "message", "sentTime", "sourceAddress", "destinationAddress", "headers"],
          "properties": {
            "messageId": { "type": "string", "format": "uuid", "description": "Unique per message; the journey keeps each event once by its eventId, not by this." },
            "requestId": { "type": ["string", "null"], "format": "uuid" },
            "correlationId": { "type": ["string", "null"], "format": "uuid" },
            "conversationId": { "type": ["string", "null"], "format": "uuid" },
            "initiatorId": { "type": ["string", "null"], "format": "uuid" },
            "sourceAddress": { "type": ["string", "null"], "format": "uri", "description": "The publishing process's own bus endpoint." },
            "destinationAddress": { "type": ["string", "null"], "format": "uri", "description": "The exchange published to." },
            "responseAddress": { "type": ["string", "null"], "format": "uri" },
            "faultAddress": { "type": ["string", "null"], "format": "uri" },
            "messageType": { "type": "array", "minItems": 1, "items": { "type": "string", "pattern": "^urn:message:" }, "description": "The message's type and its bases as MassTransit URNs (urn:message:<namespace>:<name>); the journey reads the message by the one of its consumers." },
            "message": { "type": "object" },
            "expirationTime": { "type": ["string", "null"], "format": "date-time" },
            "sentTime": { "type": ["string", "null"], "format": "date-time" },
            "headers": { "type": "object", "description": "MassTransit's own headers (none carry patient data)." },
            "host": {
              "type": ["object", "null"],
              "description": "The publishing process (machine, process and versions): no patient data.",
              "properties": {
                "machineName": { "type": ["string", "null"] },
                "processName": { "type": ["string", "null"] },
                "processId": { "type": "integer" },
                "assembly": { "type": ["string", "null"] },
                "assemblyVersion": { "type": ["string", "null"] },
                "frameworkVersion": { "type": ["string", "null"] },
                "massTransitVersion": { "type": ["string", "null"] },
                "operatingSystemVersion": { "type": ["string", "null"] }
              }
            }
          }
        }
        """;

    // The AMQP application headers the RabbitMQ transport sets beside the body (user_id is an AMQP property, not one of them).
    private const string AmqpHeaders = """
        {
          "type": "object",
          "description": "AMQP message headers: MassTransit's transport headers, none carrying patient data. The sender is the AMQP property user_id, set by the publishing department to its own broker user and checked by the broker.",
          "properties": {
            "Content-Type": { "type": "string", "const": "application/vnd.masstransit+json" }
          }
        }
        """;
}
