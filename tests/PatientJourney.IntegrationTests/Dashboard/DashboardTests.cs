using System.Net.Http.Json;
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
}
