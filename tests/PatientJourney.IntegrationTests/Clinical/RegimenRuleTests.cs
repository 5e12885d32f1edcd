using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Clinical;

public class RegimenRuleTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private const string P = "REG-1";

    private async Task<int> ChemotherapyEventCount() =>
        (await system.Chemotherapy.Services.GetRequiredService<IDocumentStore>().QuerySession().Events.FetchStreamAsync(P)).Count;

    private Task<HttpResponseMessage> Cycle(int number, string startedOn, string completedOn) =>
        system.PostAsync("chemotherapy", $"/patients/{P}/regimens/R-1/cycles", new { cycleNumber = number, startedOn, completedOn });

    [Fact]
    public async Task Cycle_gaps_repeats_early_starts_and_cycles_after_a_stop_are_409_and_record_nothing()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await system.PostAsync("chemotherapy", $"/patients/{P}/regimens", new
        {
            regimenId = "R-1", name = "AI", startedOn = "2011-01-10", cycleLengthDays = 21, heightCm = 165, weightKg = 65,
            drugs = new[] { new { drug = "doxorubicin", dosePerM2Mg = 20, days = new[] { 1, 2, 3 }, route = "iv" } },
        })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await Cycle(1, "2011-01-10", "2011-01-13")).StatusCode);
        var recorded = await ChemotherapyEventCount();

        Assert.Equal(HttpStatusCode.Conflict, (await Cycle(1, "2011-01-31", "2011-02-03")).StatusCode); // repeat
        Assert.Equal(HttpStatusCode.Conflict, (await Cycle(3, "2011-01-31", "2011-02-03")).StatusCode); // gap
        Assert.Equal(HttpStatusCode.Conflict, (await Cycle(2, "2011-01-12", "2011-01-15")).StatusCode); // before cycle 1 was completed
        Assert.Equal(HttpStatusCode.Accepted, (await system.PostAsync("chemotherapy", $"/patients/{P}/regimens/R-1/stop", new { stoppedOn = "2011-01-20", reason = "toxicity" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Cycle(2, "2011-01-31", "2011-02-03")).StatusCode); // after the stop
        Assert.Equal(HttpStatusCode.NotFound, (await system.PostAsync("chemotherapy", $"/patients/{P}/regimens/NOPE/cycles", new { cycleNumber = 1, startedOn = "2011-01-10", completedOn = "2011-01-13" })).StatusCode);

        Assert.Equal(recorded + 1, await ChemotherapyEventCount());
    }

    [Fact]
    public async Task A_fact_dated_before_the_birth_date_is_400_at_the_diagnosis_department()
    {
        Assert.Equal(HttpStatusCode.Accepted, (await system.PostAsync("diagnosis", "/patients", new { patientId = "BORN-1", sex = "male", birthDate = "1980-06-01" })).StatusCode);
        using var response = await system.PostAsync("diagnosis", "/patients/BORN-1/surveillance-plans", new { startsOn = "1979-01-01", protocol = "ct-q3m-visits-q1m" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("startsOn"));
    }
}
