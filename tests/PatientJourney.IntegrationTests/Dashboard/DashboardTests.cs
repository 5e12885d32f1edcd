using System.Text.Json.Nodes;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Dashboard;

public class DashboardTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    [Fact]
    public async Task Dashboard_lists_each_patient_with_the_next_due_item_and_overdue_count_from_the_journey()
    {
        await system.LoadSeedCaseAsync();

        await using var dashboard = new DashboardHost(system);
        var html = await (await dashboard.SignedInClientAsync()).GetStringAsync("/patients");
        Assert.Contains("<td><a href=\"/patients/LMS-0001\">LMS-0001</a></td>", html);
        Assert.Contains("Case 1", html);
        // Years after the seed case, her next visit and CT are long overdue, and so are the two echocardiograms her
        // doxorubicin opened (ESC 2022: at 250 mg/m2, reached with cycle 5 on 2011-04-07; a year after the last TACE).
        Assert.Contains("echocardiogram on <time datetime=\"2011-04-07\">", html);
        Assert.Contains("<td class=\"overdue\">4</td>", html);
    }

    [Fact]
    public async Task A_patient_page_shows_tace_doxorubicin_without_a_body_surface_area_as_not_computable_against_the_300_line()
    {
        const string patient = "DOX-NOBSA-1";
        using var tace = await system.PostAsync("interventional", $"/patients/{patient}/tace",
            new { performedOn = "2011-07-12", target = "liver", drug = "doxorubicin", doseMg = 150 });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, tace.StatusCode);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(patient) == 1, "the TACE in the journey");

        await using var dashboard = new DashboardHost(system);
        var html = await (await dashboard.SignedInClientAsync()).GetStringAsync($"/patients/{patient}");
        var chart = html[html.IndexOf("<svg id=\"doxorubicin\"", StringComparison.Ordinal)..];
        chart = chart[..(chart.IndexOf("</svg>", StringComparison.Ordinal) + 6)];
        Assert.Contains("locoregional not computable (no body surface area)", chart);
        Assert.Contains(">not computable</text>", chart);
        Assert.DoesNotContain("locoregional 0", chart);
        foreach (var line in new[] { 300, 450, 550 })
            Assert.Contains($"text-anchor=\"middle\">{line}</text>", chart);
    }

    [Fact]
    public async Task A_patient_page_as_of_a_date_shows_the_response_doses_and_alerts_of_that_date()
    {
        var seed = await system.LoadSeedCaseAsync();
        await using var dashboard = new DashboardHost(system);
        var client = await dashboard.SignedInClientAsync();

        // 2011-06-01: five cycles given (300 mg/m2), no TACE yet, the CT of 2011-04-26 a partial response.
        var then = await client.GetStringAsync($"/patients/{seed.PatientId}?asOf=2011-06-01");
        Assert.Contains("data-response=\"PR\"", then);
        Assert.Contains("systemic 300, locoregional 0, total 300 mg/m2", then);
        Assert.Contains("data-flag=\"doxorubicin-300\"", then);
        Assert.DoesNotContain("data-flag=\"doxorubicin-550\"", then);
        Assert.DoesNotContain("2012-04-24", then);

        // Today: "no evidence of disease" is a complete response; three TACE sessions take the total past 550.
        var now = await client.GetStringAsync($"/patients/{seed.PatientId}");
        Assert.Contains("data-response=\"CR\"", now);
        Assert.Contains("data-flag=\"doxorubicin-550\"", now);
        // The PET/CT of 2012-01-17: every lesion back to background, drawn resolved.
        var suv = now[now.IndexOf("<svg id=\"suv-max\"", StringComparison.Ordinal)..];
        suv = suv[..(suv.IndexOf("</svg>", StringComparison.Ordinal) + 6)];
        Assert.Equal(4, System.Text.RegularExpressions.Regex.Matches(suv, "data-resolved=\"true\"").Count);
    }

    [Fact]
    public async Task A_patient_page_shows_a_not_evaluable_response_and_the_non_target_status()
    {
        const string patient = "DASH-NE-1";
        foreach (var (on, targets, effusion) in new[] { ("2020-01-10", new[] { ("a", 40m), ("b", 30m) }, "present"), ("2020-04-10", new[] { ("a", 20m) }, "present") })
        {
            using var ct = await system.PostAsync("imaging", $"/patients/{patient}/ct", new
            {
                performedOn = on, region = "chest",
                targetLesions = targets.Select(t => new { lesionId = t.Item1, site = t.Item1 == "a" ? "liver" : "lung", longestDiameterMm = t.Item2 }).ToArray(),
                nonTargetLesions = new[] { new { lesionId = "effusion", site = "pleura", status = effusion } },
            });
            Assert.Equal(System.Net.HttpStatusCode.Accepted, ct.StatusCode);
        }
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(patient) == 3, "both CTs and the response in the journey");

        await using var dashboard = new DashboardHost(system);
        var html = await (await dashboard.SignedInClientAsync()).GetStringAsync($"/patients/{patient}");
        Assert.Contains("data-response=\"NE\"", html);
        Assert.Contains("(not evaluable)", html);
        Assert.Contains("non-targets NON-CR/NON-PD", System.Net.WebUtility.HtmlDecode(html));
        Assert.Contains("not assessed: b", html);
    }

    [Fact]
    public async Task The_page_of_a_record_merged_into_another_sends_the_browser_to_the_survivors_page()
    {
        foreach (var patientId in new[] { "DASH-MERGED", "DASH-SURVIVOR" })
            Assert.Equal(System.Net.HttpStatusCode.Accepted, (await system.PostAsync("diagnosis", "/patients", new { patientId, sex = "female", birthDate = "1960-01-01" })).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await system.PostAsync("diagnosis", "/patients/DASH-MERGED/merge", new { into = "DASH-SURVIVOR", reason = "one person" })).StatusCode);
        // Both registrations and the merge, at the survivor.
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync("DASH-SURVIVOR") == 3, "the merge in the journey");

        await using var dashboard = new DashboardHost(system);
        using var response = await (await dashboard.SignedInClientAsync()).GetAsync("/patients/DASH-MERGED?asOf=2026-01-01");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/patients/DASH-SURVIVOR?asOf=2026-01-01", response.RequestMessage!.RequestUri!.PathAndQuery);
        Assert.Contains("<h1>DASH-SURVIVOR</h1>", await response.Content.ReadAsStringAsync());
    }
}
