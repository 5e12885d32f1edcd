using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Clinical;

/// <summary>
/// RECIST 1.1 and EORTC thresholds as the journey derives them from the imaging department's measurements: the measurements
/// compared exactly (the percentages shown are rounded), and a lesion back after a complete response called progression.
/// </summary>
public class ResponseThresholdTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private async Task<JsonNode> CtAsync(string patient, string performedOn, params decimal[] diametersMm)
    {
        var lesions = diametersMm.Select((mm, i) => new { lesionId = $"t{i + 1}", site = "liver", longestDiameterMm = mm }).ToArray();
        using var response = await system.PostAsync("imaging", $"/patients/{patient}/ct", new { performedOn, region = "abdomen", targetLesions = lesions });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    /// <summary>The journey's latest response once it lists <paramref name="entries"/> entries of the patient.</summary>
    private async Task<JsonNode> LatestResponseAsync(string patient, int entries)
    {
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(patient) == entries, $"{entries} entries of {patient} in the journey");
        return (await system.JourneyClient.GetFromJsonAsync<JsonNode>($"/patients/{patient}/journey"))!["latestResponse"]!;
    }

    [Theory]
    [InlineData("EDGE-PR-1", 140.1, "SD")] // -29.95 %, shown as -30.0 %
    [InlineData("EDGE-PR-2", 140, "PR")]   // -30 %
    public async Task A_partial_response_needs_a_sum_at_least_30_percent_below_the_baseline(string patient, decimal sumMm, string expected)
    {
        await CtAsync(patient, "2020-01-10", 200m);
        await CtAsync(patient, "2020-04-10", sumMm);
        var response = await LatestResponseAsync(patient, 3);
        Assert.Equal((expected, -30.0m), ((string)response["category"]!, (decimal)response["changeFromBaselinePercent"]!));
    }

    [Theory]
    [InlineData("EDGE-PD-1", 119.95, "SD")] // +19.95 % over the nadir, shown as +20.0 %
    [InlineData("EDGE-PD-2", 120, "PD")]    // +20 % and +20 mm
    public async Task Progression_needs_a_sum_at_least_20_percent_over_the_nadir(string patient, decimal sumMm, string expected)
    {
        await CtAsync(patient, "2020-01-10", 100m);
        await CtAsync(patient, "2020-04-10", sumMm);
        Assert.Equal(expected, (string)(await LatestResponseAsync(patient, 3))["category"]!);
    }

    [Fact]
    public async Task A_target_lesion_back_after_a_complete_response_is_progression()
    {
        const string patient = "EDGE-CR-1";
        await CtAsync(patient, "2020-01-10", 30m);
        await CtAsync(patient, "2020-04-10", 0m);
        Assert.Equal("CR", (string)(await LatestResponseAsync(patient, 3))["category"]!);
        await CtAsync(patient, "2020-07-10", 10m);
        Assert.Equal("PD", (string)(await LatestResponseAsync(patient, 5))["category"]!);
    }

    [Theory]
    [InlineData("EDGE-PET-1", 7.496, "PMR")]   // -25.04 %, shown as -25.0 %
    [InlineData("EDGE-PET-2", 12.504, "PMD")] // +25.04 %, shown as +25.0 %
    public async Task A_metabolic_change_just_past_25_percent_is_past_the_threshold(string patient, decimal suvMax, string expected)
    {
        async Task PetAsync(string performedOn, string indication, decimal suv)
        {
            using var response = await system.PostAsync("imaging", $"/patients/{patient}/pet-ct", new
            {
                performedOn, indication, lesions = new[] { new { lesionId = "a", site = "liver", suvMax = suv } },
            });
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        }
        await PetAsync("2020-01-10", "staging", 10m);
        await PetAsync("2020-04-10", "response", suvMax);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(patient) == 3, "both PET-CTs and the response in the journey");
        var response = (await system.JourneyClient.GetFromJsonAsync<JsonObject>($"/patients/{patient}/responses"))!["metabolic"]!.AsArray().Single()!;
        Assert.Equal(expected, (string)response["category"]!);
    }
}
