using System.Text.Json;
using System.Text.Json.Serialization;

namespace PatientJourney.Contracts;

/// <summary>
/// Contract v2 on the bus: the events one department forwarded together (a page of its outbox), in the department's
/// order, as one message. Each entry is the event exactly as its own v1 message carries it, <c>type</c> included.
/// The broker and the journey's receive pipeline are paid once per batch instead of once per event.
/// </summary>
public abstract record ClinicalEventBatch<TEvent> where TEvent : ClinicalEvent
{
    [JsonConverter(typeof(ClinicalEventListConverter))]
    public required IReadOnlyList<TEvent> Events { get; init; }
}

public static class ContractBatches
{
    /// <summary>Events a batch may hold (contract v2); a longer list is refused whole.</summary>
    public const int MaxEvents = 50;

    /// <summary>The batch message of each department, so hosts can register them with the bus.</summary>
    public static IReadOnlyList<Type> All { get; } =
        [typeof(Diagnosis.DiagnosisEventBatch), typeof(Chemotherapy.ChemotherapyEventBatch), typeof(Interventional.InterventionalEventBatch), typeof(Imaging.ImagingEventBatch)];

    /// <summary>The abstract bases of the batches (no exchange of their own on the bus).</summary>
    public static IEnumerable<Type> Bases => All.Select(t => t.BaseType!);

    /// <summary>The department's batch message holding these events (all of them the department's own).</summary>
    public static object Of(string department, IReadOnlyList<ClinicalEvent> events) => department switch
    {
        Departments.Diagnosis => new Diagnosis.DiagnosisEventBatch { Events = events.Cast<Diagnosis.DiagnosisEvent>().ToArray() },
        Departments.Chemotherapy => new Chemotherapy.ChemotherapyEventBatch { Events = events.Cast<Chemotherapy.ChemotherapyEvent>().ToArray() },
        Departments.Interventional => new Interventional.InterventionalEventBatch { Events = events.Cast<Interventional.InterventionalEvent>().ToArray() },
        Departments.Imaging => new Imaging.ImagingEventBatch { Events = events.Cast<Imaging.ImagingEvent>().ToArray() },
        _ => throw new ArgumentException($"{department} is no department", nameof(department)),
    };

    public static string DepartmentOf(Type batchType) => ContractEvents.DepartmentOf(batchType);
}

/// <summary>
/// A list of a department's events, each written as its own type and read back by its <c>type</c>: only the
/// department's own event names are read, anything else is refused as the whole message.
/// </summary>
public sealed class ClinicalEventListConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)
        && typeof(ClinicalEvent).IsAssignableFrom(typeToConvert.GetGenericArguments()[0]);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class Converter<TEvent> : JsonConverter<IReadOnlyList<TEvent>> where TEvent : ClinicalEvent
    {
        private static readonly Dictionary<string, Type> Types = ContractEvents.All.Where(typeof(TEvent).IsAssignableFrom).ToDictionary(t => t.Name, StringComparer.Ordinal);

        public override IReadOnlyList<TEvent> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("events must be an array");
            var events = new List<TEvent>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (events.Count == ContractBatches.MaxEvents) throw new JsonException($"events holds more than {ContractBatches.MaxEvents} events");
                if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException($"events[{events.Count}] must be an object");
                var name = TypeOf(reader);
                if (name is null || !Types.TryGetValue(name, out var type))
                    throw new JsonException($"events[{events.Count}].type {(name is null ? "is missing" : $"{Echo(name)} is no {typeof(TEvent).Name}")}");
                events.Add((TEvent)(JsonSerializer.Deserialize(ref reader, type, options) ?? throw new JsonException($"events[{events.Count}] is null")));
            }
            return events;
        }

        // The sender wrote it: it reaches the error queue's reason only if it looks like an event name, never as free text.
        private static string Echo(string name) =>
            name.Length is > 0 and <= 64 && name.All(char.IsAsciiLetter) ? $"'{name}'" : "the one given";

        // A look ahead on a copy of the reader: the converter is handed the whole array, so skipping is safe.
        private static string? TypeOf(Utf8JsonReader probe)
        {
            while (probe.Read() && probe.TokenType == JsonTokenType.PropertyName)
            {
                var isType = probe.ValueTextEquals("type"u8);
                probe.Read();
                if (isType) return probe.TokenType == JsonTokenType.String ? probe.GetString() : null;
                probe.Skip();
            }
            return null;
        }

        public override void Write(Utf8JsonWriter writer, IReadOnlyList<TEvent> value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (var e in value) JsonSerializer.Serialize(writer, e, e.GetType(), options);
            writer.WriteEndArray();
        }
    }
}
