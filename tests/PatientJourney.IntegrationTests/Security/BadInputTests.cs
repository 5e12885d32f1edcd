using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Security;

public class BadInputTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private async Task<JsonObject> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((int)status, (int)problem["status"]!);
        Assert.True(problem["errors"]?.AsObject().ContainsKey(field), $"errors should name '{field}': {problem.ToJsonString()}");
        return problem;
    }

    private Task<HttpResponseMessage> PostRaw(string department, string path, string body, string contentType = "application/json") =>
        system.Departments[department].PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));

    private async Task<int> DepartmentEventCount(string patientId) =>
        (await system.Diagnosis.Services.GetRequiredService<IDocumentStore>().QuerySession().Events.FetchStreamAsync(patientId)).Count;

    [Fact]
    public async Task Malformed_json_is_400_naming_the_body_and_records_nothing()
    {
        await AssertProblem(await PostRaw("diagnosis", "/patients/BAD-1/visits", "{\"occurredOn\": \"2020-01-01\","), HttpStatusCode.BadRequest, "body");
        await AssertProblem(await PostRaw("diagnosis", "/patients/BAD-1/visits", "not json at all", "text/plain"), HttpStatusCode.BadRequest, "body");
        await AssertProblem(await PostRaw("diagnosis", "/patients/BAD-1/visits", ""), HttpStatusCode.BadRequest, "body");
        Assert.Equal(0, await DepartmentEventCount("BAD-1"));
    }

    [Fact]
    public async Task Missing_required_field_is_400_naming_it_and_records_nothing()
    {
        await AssertProblem(await PostRaw("diagnosis", "/patients/BAD-2/performance-status", "{\"occurredOn\":\"2020-01-01\"}"), HttpStatusCode.BadRequest, "ecog");
        await AssertProblem(await PostRaw("diagnosis", "/patients", "{\"patientId\":\"BAD-2\",\"sex\":\"female\"}"), HttpStatusCode.BadRequest, "birthDate");
        await AssertProblem(await PostRaw("imaging", "/patients/BAD-2/ct", "{\"performedOn\":\"2020-01-01\",\"region\":\"chest\"}"), HttpStatusCode.BadRequest, "targetLesions");
        Assert.Equal(0, await DepartmentEventCount("BAD-2"));
    }

    [Fact]
    public async Task Wrong_values_are_400_naming_the_nested_field()
    {
        await AssertProblem(await PostRaw("diagnosis", "/patients/BAD-3/performance-status", "{\"occurredOn\":\"2020-01-01\",\"ecog\":7}"), HttpStatusCode.BadRequest, "ecog");
        await AssertProblem(await PostRaw("diagnosis", "/patients/BAD-3/performance-status", "{\"occurredOn\":\"2020-01-01\",\"ecog\":\"one\"}"), HttpStatusCode.BadRequest, "ecog");
        await AssertProblem(await PostRaw("diagnosis", "/patients/BAD-3/mdt-decisions",
            "{\"occurredOn\":\"2020-01-01\",\"decision\":\"x\",\"plannedProcedures\":[{\"procedure\":\"surgery\",\"sessions\":1,\"intervalMonths\":0}]}"),
            HttpStatusCode.BadRequest, "plannedProcedures[0].procedure");
        await AssertProblem(await PostRaw("diagnosis", "/patients/BAD-3/surveillance-plans", "{\"startsOn\":\"2020-01-01\",\"protocol\":\"ct-weekly\"}"), HttpStatusCode.BadRequest, "protocol");
        await AssertProblem(await PostRaw("diagnosis", "/patients/BAD-3/visits", "{\"occurredOn\":\"2999-01-01\"}"), HttpStatusCode.BadRequest, "occurredOn");
        await AssertProblem(await PostRaw("diagnosis", "/patients/has%20space/visits", "{\"occurredOn\":\"2020-01-01\"}"), HttpStatusCode.BadRequest, "patientId");
        Assert.Equal(0, await DepartmentEventCount("BAD-3"));
    }

    [Fact]
    public async Task Every_field_of_the_wrong_type_is_named_not_only_the_first()
    {
        var problem = await AssertProblem(await PostRaw("chemotherapy", "/patients/BAD-5/regimens",
            "{\"regimenId\":7,\"name\":\"AI\",\"startedOn\":\"yesterday\",\"cycleLengthDays\":21,\"heightCm\":165,\"weightKg\":65,"
            + "\"drugs\":[{\"drug\":\"doxorubicin\",\"dosePerM2Mg\":20,\"days\":[1],\"route\":\"intravenous\"}]}"), HttpStatusCode.BadRequest, "regimenId");
        Assert.Equal(["drugs[0].route", "regimenId", "startedOn"], problem["errors"]!.AsObject().Select(kv => kv.Key).Order());
    }

    [Fact]
    public async Task Registering_a_patient_twice_is_409_and_records_nothing_more()
    {
        var body = "{\"patientId\":\"BAD-4\",\"sex\":\"female\",\"birthDate\":\"1960-01-01\"}";
        Assert.Equal(HttpStatusCode.Accepted, (await PostRaw("diagnosis", "/patients", body)).StatusCode);
        await AssertProblem(await PostRaw("diagnosis", "/patients", body), HttpStatusCode.Conflict, "patientId");
        Assert.Equal(1, await DepartmentEventCount("BAD-4"));
    }

    [Fact]
    public async Task Journey_answers_404_for_an_unknown_patient_and_400_for_a_bad_query()
    {
        await AssertProblem(await system.JourneyClient.GetAsync("/patients/NOBODY/journey"), HttpStatusCode.NotFound, "patientId");
        await AssertProblem(await system.JourneyClient.GetAsync("/patients/NOBODY/surveillance"), HttpStatusCode.NotFound, "patientId");
        await AssertProblem(await system.JourneyClient.GetAsync("/patients/NOBODY/surveillance?asOf=30-06-2012"), HttpStatusCode.BadRequest, "asOf");
        await AssertProblem(await system.JourneyClient.GetAsync("/worklist?status=late"), HttpStatusCode.BadRequest, "status");
        await AssertProblem(await system.JourneyClient.GetAsync("/patients/NOBODY/events?asKnownAt=yesterday"), HttpStatusCode.BadRequest, "asKnownAt");
    }
}
