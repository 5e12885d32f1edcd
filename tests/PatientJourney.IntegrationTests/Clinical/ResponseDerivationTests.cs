using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Clinical;

/// <summary>
/// RECIST 1.1 and EORTC as the real services give them: imaging checks the lesions as RECIST asks, the journey derives
/// every response from the measurements in clinical order (GET /patients/{id}/responses) and nothing on the bus says
/// otherwise.
/// </summary>
public class ResponseDerivationTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private static object Target(string id, decimal mm, string site = "liver", bool node = false) => new { lesionId = id, site, longestDiameterMm = mm, lymphNode = node };
    private static object NonTarget(string id, string status) => new { lesionId = id, site = "pleura", status };

    private Task<HttpResponseMessage> CtAsync(string patient, string on, object[] targets, object[]? nonTargets = null, bool newLesions = false) =>
        system.PostAsync("imaging", $"/patients/{patient}/ct", new { performedOn = on, region = "chest-abdomen-pelvis", targetLesions = targets, nonTargetLesions = nonTargets, newLesions });

    private async Task RecordedAsync(Task<HttpResponseMessage> posting)
    {
        using var response = await posting;
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The request is refused with 400 naming <paramref name="field"/>, and the imaging store is unchanged.</summary>
    private async Task RefusedAsync(Task<HttpResponseMessage> posting, string field, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var before = (await system.DepartmentEventCountsAsync())["imaging"];
        using var response = await posting;
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.StatusCode == status, problem?.ToJsonString());
        Assert.True(problem!["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
        Assert.Equal(before, (await system.DepartmentEventCountsAsync())["imaging"]);
    }

    /// <summary>The derived responses once the journey lists <paramref name="entries"/> entries of the patient.</summary>
    private async Task<JsonObject> ResponsesAsync(string patient, int entries, string query = "")
    {
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(patient) == entries, $"{entries} entries of {patient} in the journey");
        return (await system.JourneyClient.GetFromJsonAsync<JsonObject>($"/patients/{patient}/responses{query}"))!;
    }

    private static List<string> Categories(JsonObject responses, string kind = "recist") =>
        responses[kind]!.AsArray().Select(r => (string)r!["category"]!).ToList();

    [Fact]
    public async Task A_follow_up_that_does_not_measure_every_baseline_target_is_not_evaluable()
    {
        const string patient = "NE-1";
        await RecordedAsync(CtAsync(patient, "2020-01-10", [Target("a", 30), Target("b", 20, "lung"), Target("c", 50, "bone")]));
        await RecordedAsync(CtAsync(patient, "2020-04-10", []));            // nothing measured: was CR -100 %
        await RecordedAsync(CtAsync(patient, "2020-07-10", [Target("a", 30)])); // one of three: was PR -70 %
        var responses = await ResponsesAsync(patient, 5);
        Assert.Equal(["NE", "NE"], Categories(responses));
        Assert.Equal(["b", "c"], responses["recist"]![1]!["notAssessed"]!.AsArray().Select(x => (string)x!));
        Assert.Null(responses["recist"]![1]!["changeFromBaselinePercent"]);
        var journey = (await system.JourneyClient.GetFromJsonAsync<JsonObject>($"/patients/{patient}/journey"))!;
        Assert.Equal("NE", (string)journey["latestResponse"]!["category"]!);
    }

    [Fact]
    public async Task A_follow_up_target_that_is_not_a_baseline_target_is_refused_and_sent_to_new_lesions()
    {
        const string patient = "NE-2";
        await RecordedAsync(CtAsync(patient, "2020-01-10", [Target("a", 30), Target("b", 20, "lung")]));
        await RefusedAsync(CtAsync(patient, "2020-04-10", [Target("x", 10), Target("y", 5, "lung")]), "targetLesions[0].lesionId");
        using var refused = await CtAsync(patient, "2020-04-10", [Target("a", 30), Target("z", 5, "lung")]);
        Assert.Contains("newLesions", (await refused.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["targetLesions[1].lesionId"]![0]!.ToString());
    }

    [Fact]
    public async Task Unequivocal_non_target_progression_is_progression_while_the_targets_shrink()
    {
        const string patient = "NT-1";
        await RecordedAsync(CtAsync(patient, "2020-01-10", [Target("a", 50)], [NonTarget("effusion", "present")]));
        await RecordedAsync(CtAsync(patient, "2020-04-10", [Target("a", 20)], [NonTarget("effusion", "unequivocal-progression")]));
        await RecordedAsync(CtAsync(patient, "2020-07-10", [Target("a", 0)], [NonTarget("effusion", "present")]));
        var recist = (await ResponsesAsync(patient, 5))["recist"]!.AsArray();
        Assert.Equal(("PR", "PD", "PD"), ((string)recist[0]!["targetResponse"]!, (string)recist[0]!["nonTargetResponse"]!, (string)recist[0]!["category"]!));
        // Targets gone, the effusion still there: table 1 gives PR, and the non-targets NON-CR/NON-PD.
        Assert.Equal(("CR", "NON-CR/NON-PD", "PR"), ((string)recist[1]!["targetResponse"]!, (string)recist[1]!["nonTargetResponse"]!, (string)recist[1]!["category"]!));
    }

    [Fact]
    public async Task Baseline_targets_are_selected_as_recist_asks_and_nothing_is_recorded_otherwise()
    {
        await RefusedAsync(CtAsync("SEL-1", "2020-01-10", [Target("l1", 30), Target("l2", 25), Target("l3", 20)]), "targetLesions[2].lesionId"); // three in the liver
        await RefusedAsync(CtAsync("SEL-2", "2020-01-10", [Target("l1", 3)]), "targetLesions[0].longestDiameterMm");                           // 3 mm
        await RefusedAsync(CtAsync("SEL-3", "2020-01-10", [Target("n1", 8, "retroperitoneal node", node: true)]), "targetLesions[0].longestDiameterMm"); // node of 8 mm short axis
        await RefusedAsync(CtAsync("SEL-4", "2020-01-10", [Target("l1", 30)], [NonTarget("e", "absent")]), "nonTargetLesions[0].status");
        // At the edges: 10 mm and a 15 mm node are measurable; two per organ.
        await RecordedAsync(CtAsync("SEL-5", "2020-01-10", [Target("l1", 10), Target("l2", 25), Target("n1", 15, "iliac node", node: true)]));
    }

    [Fact]
    public async Task A_late_earlier_ct_becomes_the_baseline_and_rederives_every_later_response()
    {
        const string patient = "LATE-1";
        await RecordedAsync(CtAsync(patient, "2020-03-01", [Target("a", 100)]));
        await RecordedAsync(CtAsync(patient, "2020-06-01", [Target("a", 60)]));
        Assert.Equal(["PR"], Categories(await ResponsesAsync(patient, 3)));

        await RecordedAsync(CtAsync(patient, "2020-01-01", [Target("a", 50)]));
        await RecordedAsync(CtAsync(patient, "2020-09-01", [Target("a", 45)]));
        var recist = (await ResponsesAsync(patient, 7))["recist"]!.AsArray();
        Assert.All(recist, r => Assert.Equal("2020-01-01", (string)r!["baselineOn"]!));
        Assert.Equal(["2020-03-01", "2020-06-01", "2020-09-01"], recist.Select(r => (string)r!["assessedOn"]!));
        Assert.Equal(["PD", "PD", "SD"], recist.Select(r => (string)r!["category"]!)); // 100 and 60 mm over a nadir of 50; 45 mm is -10 %

        // Imaging publishes the measurements only: nothing on the bus can contradict the journey.
        var events = (await system.JourneyClient.GetFromJsonAsync<JsonArray>($"/patients/{patient}/events"))!;
        Assert.All(events, e => Assert.Equal("CtResulted", (string)e!["type"]!));
        // As of 2020-07-01 the journey knew the 03-01 and 06-01 CTs against the January baseline.
        var asOf = (await system.JourneyClient.GetFromJsonAsync<JsonObject>($"/patients/{patient}/journey?asOf=2020-07-01"))!;
        Assert.Equal(("PD", "2020-06-01"), ((string)asOf["latestResponse"]!["category"]!, (string)asOf["latestResponse"]!["assessedOn"]!));
    }

    [Fact]
    public async Task A_ct_dated_before_the_baseline_must_hold_the_targets_later_cts_follow()
    {
        const string patient = "LATE-2";
        await RecordedAsync(CtAsync(patient, "2020-03-01", [Target("a", 100)]));
        await RefusedAsync(CtAsync(patient, "2020-01-01", [Target("b", 50)]), "targetLesions", HttpStatusCode.Conflict);
    }

    private async Task PetAsync(string patient, string on, string indication, object[] lesions, decimal? backgroundSuvMax = null)
    {
        using var response = await system.PostAsync("imaging", $"/patients/{patient}/pet-ct", new { performedOn = on, indication, lesions, backgroundSuvMax });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    private static object Uptake(string id, decimal suvMax, bool? avid = null) => new { lesionId = id, site = "liver", suvMax, avid };

    [Fact]
    public async Task Eortc_progression_is_read_per_lesion_not_from_the_peak()
    {
        const string patient = "PET-LESION-1";
        await PetAsync(patient, "2020-01-10", "staging", [Uptake("a", 10m), Uptake("b", 4m)]);
        await PetAsync(patient, "2020-04-10", "response", [Uptake("a", 6m), Uptake("b", 6m)]); // peak -40 %, b +50 %
        var pet = (await ResponsesAsync(patient, 3))["metabolic"]![0]!;
        Assert.Equal(("PMD", -40.0m), ((string)pet["category"]!, (decimal)pet["peakChangePercent"]!));
        Assert.Equal("progressed", (string)pet["lesions"]!.AsArray().Single(l => (string)l!["lesionId"]! == "b")!["status"]!);
    }

    [Theory]
    [InlineData("PET-CYCLES-1", 1, "PMR")] // -15 % after one cycle
    [InlineData("PET-CYCLES-2", 2, "SMD")] // -15 % after two
    public async Task The_eortc_threshold_follows_the_cycles_given_before_the_scan(string patient, int cycles, string expected)
    {
        await PetAsync(patient, "2020-01-02", "staging", [Uptake("a", 10m)]);
        using (var regimen = await system.PostAsync("chemotherapy", $"/patients/{patient}/regimens", new
        {
            regimenId = "IFO-1", name = "ifosfamide", startedOn = "2020-01-06", cycleLengthDays = 21, heightCm = 170, weightKg = 70,
            drugs = new[] { new { drug = "ifosfamide", dosePerM2Mg = 3000, days = new[] { 1, 2, 3 }, route = "iv" } },
        }))
            Assert.True(regimen.StatusCode == HttpStatusCode.Accepted, await regimen.Content.ReadAsStringAsync());
        for (var c = 1; c <= cycles; c++)
        {
            var started = new DateOnly(2020, 1, 6).AddDays(21 * (c - 1));
            using var cycle = await system.PostAsync("chemotherapy", $"/patients/{patient}/regimens/IFO-1/cycles",
                new { cycleNumber = c, startedOn = started, completedOn = started.AddDays(2) });
            Assert.True(cycle.StatusCode == HttpStatusCode.Accepted, await cycle.Content.ReadAsStringAsync());
        }
        await PetAsync(patient, "2020-03-10", "response", [Uptake("a", 8.5m)]);
        var pet = (await ResponsesAsync(patient, 4 + cycles))["metabolic"]![0]!;
        Assert.Equal((expected, cycles), ((string)pet["category"]!, (int)pet["cyclesSinceBaseline"]!));
    }

    [Fact]
    public async Task Uptake_at_background_is_a_complete_metabolic_response()
    {
        const string patient = "PET-CMR-1";
        await PetAsync(patient, "2020-01-10", "staging", [Uptake("a", 10m), Uptake("b", 6m)]);
        await PetAsync(patient, "2020-04-10", "response", [Uptake("a", 2.0m), Uptake("b", 2.2m)], backgroundSuvMax: 2.2m);
        await PetAsync(patient, "2020-07-10", "response", [Uptake("a", 2.4m, avid: false)]);
        Assert.Equal(["CMR", "CMR"], Categories(await ResponsesAsync(patient, 5), "metabolic"));
    }
}
