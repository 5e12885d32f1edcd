using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Clinical;

/// <summary>Issue 28, findings 8 and 9, on the real services: drugs by the formulary, CTCAE terms by their grades.</summary>
public class TerminologyTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private static object Regimen(string drug, decimal dosePerM2Mg) => new
    {
        regimenId = "R-1", name = "single agent", startedOn = "2011-01-10", cycleLengthDays = 21, heightCm = 165, weightKg = 65,
        drugs = new[] { new { drug, dosePerM2Mg, days = new[] { 1 }, route = "iv" } },
    };

    private async Task<JsonNode> Doxorubicin(string patient) =>
        (await system.JourneyClient.GetFromJsonAsync<JsonNode>($"/patients/{patient}/journey"))!["cumulativeDoxorubicinMgPerM2"]!;

    private static async Task<JsonObject> Errors(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
    }

    [Fact]
    public async Task Adriamycin_75_mg_per_m2_counts_75_in_the_journeys_cumulative_doxorubicin()
    {
        const string p = "TERM-1";
        Assert.Equal(HttpStatusCode.Accepted, (await system.PostAsync("chemotherapy", $"/patients/{p}/regimens", Regimen("adriamycin", 75))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await system.PostAsync("chemotherapy", $"/patients/{p}/regimens/R-1/cycles",
            new { cycleNumber = 1, startedOn = "2011-01-10", completedOn = "2011-01-10" })).StatusCode);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(p) == 2, "the regimen and its cycle in the journey");

        var dox = await Doxorubicin(p);
        Assert.Equal((75m, 75m, 75m), ((decimal)dox["systemic"]!, (decimal)dox["total"]!, (decimal)dox["doxorubicinEquivalent"]!["total"]!));
        var events = (await system.JourneyClient.GetFromJsonAsync<JsonArray>($"/patients/{p}/events"))!;
        var drug = events.Single(e => (string)e!["type"]! == "ChemoRegimenStarted")!["drugs"]![0]!;
        Assert.Equal(("doxorubicin", "3639", "L01DB01"), ((string)drug["drug"]!, (string)drug["rxNorm"]!, (string)drug["atc"]!));
    }

    [Fact]
    public async Task A_TACE_with_doxorubicin_on_drug_eluting_beads_counts_in_the_locoregional_total()
    {
        const string p = "TERM-2";
        Assert.Equal(HttpStatusCode.Accepted, (await system.PostAsync("chemotherapy", $"/patients/{p}/regimens", Regimen("doxorubicin", 20))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await system.PostAsync("interventional", $"/patients/{p}/tace",
            new { performedOn = "2011-07-12", target = "liver", drug = "doxorubicin (drug-eluting beads)", doseMg = 150 })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await system.PostAsync("interventional", $"/patients/{p}/tace",
            new { performedOn = "2011-10-12", target = "liver", drug = "DEBDOX", doseMg = 150, carrier = "drug-eluting beads" })).StatusCode);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(p) == 3, "the regimen and both TACE in the journey");

        var dox = await Doxorubicin(p);
        Assert.Equal((173.4m, 173.4m), ((decimal)dox["locoregional"]!, (decimal)dox["total"]!)); // 2 x 150 mg / 1.73 m2
    }

    [Fact]
    public async Task A_drug_not_in_the_formulary_is_400_naming_drugs_0_drug_and_records_nothing()
    {
        const string p = "TERM-3";
        var errors = await Errors(await system.PostAsync("chemotherapy", $"/patients/{p}/regimens", Regimen("doxorubicine", 75)));
        Assert.Equal(["drugs[0].drug"], errors.Select(kv => kv.Key));
        Assert.Equal(["drug"], (await Errors(await system.PostAsync("interventional", $"/patients/{p}/tace",
            new { performedOn = "2011-07-12", target = "liver", drug = "beads", doseMg = 150 }))).Select(kv => kv.Key));
        foreach (var store in new[] { system.Chemotherapy.Services, system.Interventional.Services })
            Assert.Empty(await store.GetRequiredService<IDocumentStore>().QuerySession().Events.FetchStreamAsync(p));
    }

    [Fact]
    public async Task Nausea_grade_5_is_400_naming_grade_and_grade_3_is_recorded()
    {
        const string p = "TERM-4";
        var errors = await Errors(await system.PostAsync("chemotherapy", $"/patients/{p}/adverse-events", new { occurredOn = "2011-02-01", term = "nausea", grade = 5 }));
        Assert.Equal(["grade"], errors.Select(kv => kv.Key));
        Assert.Contains("1-3", (string)errors["grade"]![0]!);
        Assert.Equal(["toxicities[0].grade"], (await Errors(await system.PostAsync("interventional", $"/patients/{p}/tace",
            new { performedOn = "2011-07-12", target = "liver", drug = "doxorubicin", doseMg = 150, toxicities = new[] { new { term = "nausea", grade = 4 } } }))).Select(kv => kv.Key));
        Assert.Equal(["complications[0].term"], (await Errors(await system.PostAsync("interventional", $"/patients/{p}/rfa",
            new { performedOn = "2011-10-18", target = "node", technicalSuccess = true, complications = new[] { new { term = "UTI", grade = 3 } } }))).Select(kv => kv.Key));

        Assert.Equal(HttpStatusCode.Accepted, (await system.PostAsync("chemotherapy", $"/patients/{p}/adverse-events", new { occurredOn = "2011-02-01", term = "nausea", grade = 3 })).StatusCode);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(p) == 1, "only the admitted grade in the journey");
        var recorded = (await system.JourneyClient.GetFromJsonAsync<JsonArray>($"/patients/{p}/events"))!.Single()!;
        Assert.Equal(("nausea", "10028813", 3), ((string)recorded["term"]!, (string)recorded["meddraCode"]!, (int)recorded["grade"]!));
    }
}
