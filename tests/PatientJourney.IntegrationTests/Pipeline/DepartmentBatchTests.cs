using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using PatientJourney.Hosting.Security;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Pipeline;

public class DepartmentBatchTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private const string Regimen = """{"regimenId":"AI-1","name":"doxorubicin + ifosfamide","startedOn":"2011-08-01","cycleLengthDays":21,"heightCm":170,"weightKg":70,"drugs":[{"drug":"doxorubicin","dosePerM2Mg":20,"days":[1,2,3],"route":"iv","purpose":"antineoplastic"}]}""";

    private static string Cycle(int n) => $$"""{"cycleNumber":{{n}},"startedOn":"2011-{{7 + n:D2}}-01","completedOn":"2011-{{7 + n:D2}}-04"}""";

    private static string Entry(string path, string body, string? idempotencyKey = null) =>
        $$"""{"path":"{{path}}","body":{{body}}{{(idempotencyKey is null ? "" : $",\"idempotencyKey\":\"{idempotencyKey}\"")}}}""";

    private async Task<HttpResponseMessage> PostBatch(params string[] entries) =>
        await system.Departments[Departments.Chemotherapy].PostAsync("/batch",
            new StringContent($$"""{"entries":[{{string.Join(",", entries)}}]}""", Encoding.UTF8, "application/json"));

    private async Task<IReadOnlyList<ClinicalEvent>> StreamOf(string patientId) =>
        (await system.Chemotherapy.Services.GetRequiredService<IDocumentStore>().QuerySession().Events.FetchStreamAsync(patientId))
        .Select(e => (ClinicalEvent)e.Data).ToList();

    [Fact]
    public async Task A_patient_another_instance_wrote_since_this_one_cached_the_stream_is_decided_on_the_stream_as_it_stands()
    {
        var here = system.Departments[Departments.Chemotherapy];
        Assert.Equal(HttpStatusCode.Accepted, (await here.PostAsync("/patients/CACHED-1/regimens", Json(Regimen))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await here.PostAsync("/patients/CACHED-1/regimens/AI-1/cycles", Json(Cycle(1)))).StatusCode);

        // A second instance of the department, on the same store, records the next cycle: this instance's cache is stale.
        await using (var other = new ServiceHost<PatientJourney.Chemotherapy.ChemotherapyService>(system.Isolation))
            Assert.Equal(HttpStatusCode.Accepted, (await other.CreateClient().PostAsync("/patients/CACHED-1/regimens/AI-1/cycles", Json(Cycle(2)))).StatusCode);

        // Cycle 3 follows cycle 2 only on the stream as it stands; decided on the cached one it would be refused (409).
        var third = await here.PostAsync("/patients/CACHED-1/regimens/AI-1/cycles", Json(Cycle(3)));
        Assert.Equal(HttpStatusCode.Accepted, third.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await here.PostAsync("/patients/CACHED-1/regimens/AI-1/cycles", Json(Cycle(3)))).StatusCode);
        Assert.Equal(4, (await StreamOf("CACHED-1")).Count);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Each_entry_is_answered_as_if_posted_alone_in_order_and_a_refused_one_does_not_stop_the_others()
    {
        var response = await PostBatch(
            Entry("/patients/BATCH-1/regimens", Regimen),
            Entry("/patients/BATCH-1/regimens/AI-1/cycles", Cycle(1)),
            Entry("/patients/BATCH-1/regimens/AI-1/cycles", Cycle(3)),           // 409: the next cycle is 2
            Entry("/patients/BATCH-1/regimens/AI-1/cycles", Cycle(2)),
            Entry("/patients/BATCH-2/adverse-events", """{"occurredOn":"2011-08-02","term":"nausea","grade":9}"""), // 400
            Entry("/patients/BATCH-2/surgery", """{"occurredOn":"2011-08-02"}"""),  // 404: no such command here
            Entry("/patients/BATCH-2/adverse-events", """{"occurredOn":"2011-08-02","term":"nausea","grade":2}""", "night-report-17"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entries = (await response.Content.ReadFromJsonAsync<JsonObject>())!["entries"]!.AsArray();
        Assert.Equal([202, 202, 409, 202, 400, 404, 202], entries.Select(e => (int)e!["status"]!));
        Assert.True(entries[2]!["problem"]!["errors"]!.AsObject().ContainsKey("cycleNumber"), entries[2]!.ToJsonString());
        Assert.True(entries[4]!["problem"]!["errors"]!.AsObject().ContainsKey("grade"), entries[4]!.ToJsonString());
        Assert.True(entries[5]!["problem"]!["errors"]!.AsObject().ContainsKey("path"), entries[5]!.ToJsonString());
        Assert.Equal("ChemoCycleCompleted", (string)entries[3]!["type"]!);

        // What was accepted is recorded in the batch's order, under the answered ids; nothing for the refused entries.
        var first = await StreamOf("BATCH-1");
        Assert.Equal(["ChemoRegimenStarted", "ChemoCycleCompleted", "ChemoCycleCompleted"], first.Select(e => e.Type));
        Assert.Equal([1, 2], first.OfType<ChemoCycleCompleted>().Select(c => c.CycleNumber));
        Assert.Equal(new[] { 0, 1, 3 }.Select(i => (Guid)entries[i]!["eventId"]!), first.Select(e => e.EventId));
        Assert.Single(await StreamOf("BATCH-2"));

        // An entry's Idempotency-Key holds across batches and single requests alike.
        var again = (await (await PostBatch(Entry("/patients/BATCH-2/adverse-events", """{"occurredOn":"2011-08-02","term":"nausea","grade":2}""", "night-report-17")))
            .Content.ReadFromJsonAsync<JsonObject>())!["entries"]!.AsArray();
        Assert.Equal((Guid)entries[6]!["eventId"]!, (Guid)again[0]!["eventId"]!);
        Assert.Single(await StreamOf("BATCH-2"));

        // And the journey gets them like any other event.
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync("BATCH-1") == 3, "the batch's events reach the journey");
    }

    [Fact]
    public async Task A_malformed_envelope_is_400_naming_the_entry_field_and_records_nothing_of_the_batch()
    {
        async Task AssertRefused(HttpResponseMessage response, string field)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.True(problem["errors"]?.AsObject().ContainsKey(field), $"errors should name '{field}': {problem.ToJsonString()}");
        }

        var chemotherapy = system.Departments[Departments.Chemotherapy];
        await AssertRefused(await PostBatch(Entry("/patients/BATCH-3/regimens", Regimen), """{"path":"/patients/BATCH-3/regimens"}"""), "entries[1].body");
        await AssertRefused(await PostBatch(Entry("/patients/BATCH-3/regimens", Regimen), """{"body":{}}"""), "entries[1].path");
        await AssertRefused(await PostBatch(Entry("/patients/BATCH-3/regimens", Regimen, new string('k', 129))), "entries[0].idempotencyKey");
        await AssertRefused(await PostBatch(Enumerable.Repeat(Entry("/patients/BATCH-3/adverse-events", """{"occurredOn":"2011-08-02","term":"x","grade":1}"""), 1001).ToArray()), "entries");
        await AssertRefused(await chemotherapy.PostAsync("/batch", new StringContent("""{"entries":[]}""", Encoding.UTF8, "application/json")), "entries");
        await AssertRefused(await chemotherapy.PostAsync("/batch", new StringContent("[1,2", Encoding.UTF8, "application/json")), "body");
        Assert.Empty(await StreamOf("BATCH-3"));
    }

    [Fact]
    public async Task Another_department_may_not_post_a_batch_here()
    {
        var imaging = system.Chemotherapy.CreateClient(TestTokens.For(Roles.Department(Departments.Imaging)));
        var response = await imaging.PostAsync("/batch", new StringContent($$"""{"entries":[{{Entry("/patients/BATCH-4/regimens", Regimen)}}]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await StreamOf("BATCH-4"));
    }
}
