using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.Journey.PatientJourneys;
using PatientJourney.Journey.Projections;
using PatientJourney.Journey.Worklist;
using static PatientJourney.IntegrationTests.Infrastructure.CommandAnswers;

namespace PatientJourney.IntegrationTests.Clinical;

/// <summary>
/// Echocardiograms opened by cumulative anthracycline exposure, on the real services: a cycle that crosses 250 mg/m2,
/// posted after later facts, opens them from its own date; imaging's echocardiogram completes them; a navigator's override
/// moves the next one; a rebuild gives the same.
/// </summary>
public class ExposureSurveillanceTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private async Task<JsonObject> SurveillanceAsync(string patientId, string asOf) =>
        (await system.JourneyClient.GetFromJsonAsync<JsonObject>($"/patients/{patientId}/surveillance?asOf={asOf}"))!;

    private static List<(string? Rule, string DueOn, string Status)> Echoes(JsonObject schedule) =>
        schedule["items"]!.AsArray().Select(i => i!.AsObject()).Where(i => (string)i["kind"]! == "echocardiogram")
            .Select(i => ((string?)i["rule"], (string)i["dueOn"]!, (string)i["status"]!)).ToList();

    /// <summary>Doxorubicin 60 mg/m2 a cycle (20 mg/m2 days 1-3) for a woman born in 1963: 240 after four cycles.</summary>
    private async Task FourCyclesAsync(string patientId)
    {
        await Accepted(system.PostAsync("diagnosis", "/patients", new { patientId, sex = "female", birthDate = "1963-05-20", occurredOn = "2010-12-06" }));
        await Accepted(system.PostAsync("chemotherapy", $"/patients/{patientId}/regimens", new
        {
            regimenId = "AI-1", name = "doxorubicin", startedOn = "2011-01-10", cycleLengthDays = 21, heightCm = 165, weightKg = 65,
            drugs = new[] { new { drug = "doxorubicin", dosePerM2Mg = 20, days = new[] { 1, 2, 3 }, route = "iv" } },
        }));
        string[] starts = ["2011-01-10", "2011-01-31", "2011-02-21", "2011-03-14"];
        for (var n = 1; n <= 4; n++)
            await Accepted(system.PostAsync("chemotherapy", $"/patients/{patientId}/regimens/AI-1/cycles", new { cycleNumber = n, startedOn = starts[n - 1], completedOn = DateOnly.Parse(starts[n - 1]).AddDays(3).ToString("yyyy-MM-dd") }));
        // A later fact reaches the journey before the fifth cycle.
        await Accepted(system.PostAsync("imaging", $"/patients/{patientId}/ct", new { performedOn = "2011-04-26", region = "abdomen", targetLesions = Array.Empty<object>() }));
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(patientId) == 7, "four cycles and the CT in the journey");
    }

    [Fact]
    public async Task A_late_cycle_crossing_250_opens_an_echocardiogram_from_its_own_date_with_its_rule_and_source()
    {
        const string P = "ECHO-1";
        await FourCyclesAsync(P);
        Assert.Empty(Echoes(await SurveillanceAsync(P, "2011-12-31")));

        await Accepted(system.PostAsync("chemotherapy", $"/patients/{P}/regimens/AI-1/cycles", new { cycleNumber = 5, startedOn = "2011-04-04", completedOn = "2011-04-07" }));
        await Eventually.HoldsAsync(async () => Echoes(await SurveillanceAsync(P, "2011-12-31")).Count == 1, "the echocardiogram item");

        var schedule = await SurveillanceAsync(P, "2011-04-10");
        Assert.Equal([("esc-2022-anthracycline-250", "2011-04-07", "due")], Echoes(schedule));
        var rule = Assert.Single(schedule["rules"]!.AsArray())!;
        Assert.Equal(("2011-04-07", 300m), ((string)rule["triggeredOn"]!, (decimal)rule["cumulativeMgPerM2"]!));
        Assert.Contains("2022 ESC Guidelines on cardio-oncology", (string)rule["source"]!["citation"]!);
        Assert.Contains("Class IIa", (string)rule["source"]!["evidence"]!);
        // As of the day before the cycle, the journey knew of no such exposure.
        Assert.Empty(Echoes(await SurveillanceAsync(P, "2011-04-06")));

        // Imaging's echocardiogram completes it.
        await Accepted(system.PostAsync("imaging", $"/patients/{P}/echocardiograms", new { performedOn = "2011-04-20", lvefPercent = 62, globalLongitudinalStrainPercent = -20.5 }));
        await Eventually.HoldsAsync(async () => Echoes(await SurveillanceAsync(P, "2011-12-31")) is [(_, _, "done")], "the echocardiogram done");
    }

    [Fact]
    public async Task An_echocardiogram_outside_the_plausible_range_is_400_naming_the_field_and_records_nothing()
    {
        const string P = "ECHO-2";
        await Accepted(system.PostAsync("diagnosis", "/patients", new { patientId = P, sex = "male", birthDate = "1970-01-01" }));
        var before = await system.DepartmentEventCountsAsync();
        await Refused(system.PostAsync("imaging", $"/patients/{P}/echocardiograms", new { performedOn = "2020-01-01" }), HttpStatusCode.BadRequest, "lvefPercent");
        await Refused(system.PostAsync("imaging", $"/patients/{P}/echocardiograms", new { performedOn = "2020-01-01", lvefPercent = 0.5 }), HttpStatusCode.BadRequest, "lvefPercent");
        await Refused(system.PostAsync("imaging", $"/patients/{P}/echocardiograms", new { performedOn = "2020-01-01", lvefPercent = 55, globalLongitudinalStrainPercent = 18 }), HttpStatusCode.BadRequest, "globalLongitudinalStrainPercent");
        await Refused(system.PostAsync("diagnosis", $"/patients/{P}/surveillance-overrides", new { kind = "tace", intervalMonths = 6, reason = "x" }), HttpStatusCode.BadRequest, "kind");
        await Refused(system.PostAsync("diagnosis", $"/patients/{P}/surveillance-overrides", new { kind = "ct", intervalMonths = 0, reason = "x" }), HttpStatusCode.BadRequest, "intervalMonths");
        await Refused(system.PostAsync("diagnosis", $"/patients/{P}/surveillance-overrides", new { kind = "ct", intervalMonths = 6 }), HttpStatusCode.BadRequest, "reason");
        // No plan: no open CT to override.
        await Refused(system.PostAsync("diagnosis", $"/patients/{P}/surveillance-overrides", new { kind = "ct", intervalMonths = 6, reason = "x" }), HttpStatusCode.Conflict, "kind");
        Assert.Equal(before, await system.DepartmentEventCountsAsync());
    }

    [Fact]
    public async Task An_override_with_its_reason_moves_the_next_item_shows_on_the_schedule_and_survives_a_rebuild()
    {
        const string P = "ECHO-3";
        await Accepted(system.PostAsync("diagnosis", "/patients", new { patientId = P, sex = "female", birthDate = "1963-05-20", occurredOn = "2010-12-06" }));
        await Accepted(system.PostAsync("diagnosis", $"/patients/{P}/surveillance-plans", new { startsOn = "2012-01-24", protocol = "ct-q3m-visits-q1m" }));
        await Accepted(system.PostAsync("imaging", $"/patients/{P}/ct", new { performedOn = "2012-04-24", region = "abdomen", targetLesions = Array.Empty<object>() }));
        var over = await Accepted(system.PostAsync("diagnosis", $"/patients/{P}/surveillance-overrides", new { kind = "ct", intervalMonths = 6, reason = "low-risk histology, agreed at MDT" }));
        Assert.Equal("SurveillanceIntervalOverridden", (string)over["type"]!);
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");
        // The CT (imaging) and the override (diagnosis) come through different outboxes: wait for both.
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(P) == 4, "the plan, the CT and the override in the journey");
        var schedule = await SurveillanceAsync(P, today);
        var shown = Assert.Single(schedule["overrides"]!.AsArray())!;
        Assert.Equal(("ct", 6, "low-risk histology, agreed at MDT"), ((string)shown["kind"]!, (int)shown["intervalMonths"]!, (string)shown["reason"]!));
        var openCt = Assert.Single(schedule["items"]!.AsArray(), i => (string)i!["kind"]! == "ct" && i["completedOn"] is null)!;
        Assert.Equal(("2012-10-24", (string)shown["eventId"]!), ((string)openCt["dueOn"]!, (string)openCt["overriddenBy"]!));
        // Before the navigator decided (today), the protocol's 3 months held.
        var before = await SurveillanceAsync(P, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1).ToString("yyyy-MM-dd"));
        Assert.Contains(before["items"]!.AsArray(), i => (string)i!["kind"]! == "ct" && (string)i["dueOn"]! == "2012-07-24" && i["overriddenBy"] is null);

        await system.AssertRebuildGivesTheSameReadModelsAsync();
    }
}
