using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using PatientJourney.Hosting;
using PatientJourney.ContractSchemas;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Documents;

public class ContractSchemaTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    // JsonSchema.Net registers each $id once per process: load each schema once.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonSchema> Schemas = new();

    private static JsonSchema SchemaFor(string type) => Schemas.GetOrAdd(type, t =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(Repository.Root, ContractSchemaGenerator.Folder, "events", $"{t}.schema.json"))));

    /// <summary>A batch's schema refers to its events' schemas by $id: those are loaded first.</summary>
    private static JsonSchema BatchSchemaFor(Type batch)
    {
        foreach (var e in ContractEvents.All) SchemaFor(e.Name);
        return Schemas.GetOrAdd(batch.Name, t => JsonSchema.FromText(File.ReadAllText(Path.Combine(Repository.Root, ContractSchemaGenerator.Folder, "batches", $"{t}.schema.json"))));
    }

    private static string Failures(EvaluationResults results) =>
        string.Join("; ", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));

    [Fact]
    public void Committed_schemas_and_asyncapi_are_what_contracts_generate()
    {
        // Regenerate with: dotnet tools/ContractSchemas/bin/Debug/net10.0/contract-schemas.dll
        foreach (var (name, content) in ContractSchemaGenerator.Generate())
            Assert.True(content == File.ReadAllText(Path.Combine(Repository.Root, ContractSchemaGenerator.Folder, name)), $"docs/contracts/{name} is out of date");
        Assert.Equal(ContractEvents.All.Count, Directory.GetFiles(Path.Combine(Repository.Root, ContractSchemaGenerator.Folder, "events")).Length);
        Assert.Equal(ContractBatches.All.Count, Directory.GetFiles(Path.Combine(Repository.Root, ContractSchemaGenerator.Folder, "batches")).Length);
    }

    [Fact]
    public async Task Every_event_the_departments_publish_validates_against_its_schema_and_a_wrong_one_does_not()
    {
        var seed = await EveryEventType.PostAsync(system);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(EveryEventType.SurvivorOf(seed)) == seed.JourneyEntryCount + EveryEventType.FactsBesidesTheSeedCase,
            "every fact in the journey");

        var events = (await system.JourneyClient.GetFromJsonAsync<JsonArray>($"/patients/{seed.PatientId}/events"))!;
        var options = new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true };
        foreach (var e in events)
        {
            var instance = e!.AsObject().DeepClone().AsObject();
            instance.Remove("storedAt"); // the journey's own additions to the envelope
            instance.Remove("journeyVersion");
            var results = SchemaFor((string)instance["type"]!).Evaluate(JsonDocument.Parse(instance.ToJsonString()).RootElement, options);
            Assert.True(results.IsValid, $"{instance["type"]}: {Failures(results)}");
        }
        // Every event type published (a retired one is not: ResponseAssessed).
        Assert.Equal(ContractEvents.All.Where(t => !t.IsDefined(typeof(RetiredAttribute), false)).Select(t => t.Name).Order(),
            events.Select(e => (string)e!["type"]!).Distinct().Order());

        // The same events as the departments' outboxes send them by default: a batch per department (contract v2).
        foreach (var batch in ContractBatches.All)
        {
            var department = ContractBatches.DepartmentOf(batch);
            var entries = events.Select(e => e!.AsObject().DeepClone().AsObject()).Where(e => (string)e["department"]! == department).ToList();
            foreach (var entry in entries) { entry.Remove("storedAt"); entry.Remove("journeyVersion"); }
            var message = new JsonObject { ["events"] = new JsonArray([.. entries]) };
            var results = BatchSchemaFor(batch).Evaluate(JsonDocument.Parse(message.ToJsonString()).RootElement, options);
            Assert.True(results.IsValid, $"{batch.Name}: {Failures(results)}");
            message["events"]![0]!.AsObject().Remove("patientId");
            Assert.False(BatchSchemaFor(batch).Evaluate(JsonDocument.Parse(message.ToJsonString()).RootElement, options).IsValid, $"{batch.Name} without a patientId");
        }

        var broken = JsonSerializer.SerializeToNode(new AdverseEventRecorded { PatientId = "P", OccurredOn = new DateOnly(2011, 2, 1), Term = "x", Grade = 3 }, JsonDefaults.Options)!.AsObject();
        broken["grade"] = "three";
        Assert.False(SchemaFor(nameof(AdverseEventRecorded)).Evaluate(JsonDocument.Parse(broken.ToJsonString()).RootElement, options).IsValid);
    }
}
