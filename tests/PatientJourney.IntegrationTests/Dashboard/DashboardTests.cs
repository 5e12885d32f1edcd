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
        // Years after the seed case, her next visit and CT are both long overdue.
        Assert.Contains("clinic-visit on <time datetime=\"2012-08-24\">", html);
        Assert.Contains("<td class=\"overdue\">2</td>", html);
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
}
