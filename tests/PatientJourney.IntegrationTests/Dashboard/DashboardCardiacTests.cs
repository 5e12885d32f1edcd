using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.IntegrationTests.Corrections;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Dashboard;

/// <summary>The cardiac lane of the patient page: the exposure rule her doxorubicin triggered, its echocardiogram, her LVEF.</summary>
public class DashboardCardiacTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private static string Section(string html, string start, string end)
    {
        var from = html.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"no {start} on the page");
        var rest = html[from..];
        return rest[..(rest.IndexOf(end, StringComparison.Ordinal) + end.Length)];
    }

    [Fact]
    public async Task A_patient_given_300_mg_per_m2_of_doxorubicin_has_a_cardiac_lane_with_the_rules_guideline_its_echocardiogram_and_each_LVEF_graded_for_CTRCD()
    {
        const string patient = "DASH-CARDIAC-1";
        // Four cycles of 75 mg/m2, the fourth completed on 2011-03-16.
        using (var regimen = await system.Departments["chemotherapy"].PostAsync($"/patients/{patient}/regimens", new StringContent(CorrectionTests.Regimen, System.Text.Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.Accepted, regimen.StatusCode);
        for (var n = 1; n <= 4; n++)
            using (var cycle = await system.PostAsync("chemotherapy", $"/patients/{patient}/regimens/AI-1/cycles", CorrectionTests.Cycle(n)))
                Assert.Equal(HttpStatusCode.Accepted, cycle.StatusCode);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(patient) == 5, "the regimen and its four cycles in the journey");

        await using var dashboard = new DashboardHost(system);
        var oncologist = await dashboard.SignedInClientAsync();
        var lane = WebUtility.HtmlDecode(Section(await oncologist.GetStringAsync($"/patients/{patient}"), "<section aria-labelledby=\"cardiac\"", "</section>"));
        var rule = ExposureRules.Published.Single(r => r.Id == ExposureRules.EscAnthracyclineCumulative250);
        Assert.Contains("<h2 id=\"cardiac\">Cardiac surveillance</h2>", lane);
        Assert.Contains($"<strong>{rule.Title}</strong>", lane);
        Assert.Contains("Triggered on <time datetime=\"2011-03-16\">2011-03-16</time> at 300 mg/m2 cumulative doxorubicin-equivalent", lane);
        Assert.Contains($"<cite>{rule.Source.Citation}</cite>. {rule.Source.Section}. Evidence: {rule.Source.Evidence}", lane);
        Assert.Matches($"<tr data-kind=\"echocardiogram\"><td><time datetime=\"2011-03-16\">.*?<a class=\"badge\" href=\"#rule-{rule.Id}\" data-rule=\"{rule.Id}\">", lane);
        Assert.Contains("<p id=\"lvef\">No measurements yet.</p>", lane);

        // Her first echocardiogram is the reference; the second, 14 points lower and under 50 %, is moderate CTRCD.
        foreach (var (on, lvef, gls) in new[] { ("2011-01-05", 62m, -21m), ("2011-03-28", 48m, -16m) })
            using (var echo = await system.PostAsync("imaging", $"/patients/{patient}/echocardiograms", new { performedOn = on, lvefPercent = lvef, globalLongitudinalStrainPercent = gls }))
                Assert.Equal(HttpStatusCode.Accepted, echo.StatusCode);
        await Eventually.HoldsAsync(async () =>
            (await system.JourneyClient.GetFromJsonAsync<JsonObject>($"/patients/{patient}/measurements"))!["echocardiograms"]!.AsArray().Count == 2, "both echocardiograms in the journey");

        var html = await oncologist.GetStringAsync($"/patients/{patient}");
        var chart = Section(html, "<svg id=\"lvef\"", "</svg>");
        Assert.Contains("<title id=\"lvef-title\">LVEF per echocardiogram against 50 % (normal from) and 40 % (severe below)", chart);
        Assert.Contains("data-point-label=\"reference\">reference</text>", chart);
        Assert.Contains("data-point-label=\"CTRCD moderate\">CTRCD moderate</text>", chart);
        Assert.Contains("<title>LVEF 2011-03-28: 48 % CTRCD moderate</title>", chart);
        foreach (var line in new[] { 50, 40 })
            Assert.Contains($"font-size=\"11\">{line} %</text>", chart);
        // The chart's table, for a screen reader and for reading the numbers.
        Assert.Matches("<tr data-echocardiogram=\"[0-9a-f-]+\"><td><time datetime=\"2011-03-28\">2011-03-28</time></td><td>48</td><td>-16</td><td>14</td><td>23.8</td><td data-ctrcd=\"moderate\">CTRCD moderate</td></tr>",
            Section(html, "<table id=\"lvef-table\">", "</table>"));
        // The echocardiogram after the trigger did the rule's item.
        Assert.Matches("<tr data-kind=\"echocardiogram\"><td><time datetime=\"2011-03-16\">2011-03-16</time></td><td>echocardiogram</td><td class=\"done\">done</td><td><time datetime=\"2011-03-28\">", html);
    }
}
