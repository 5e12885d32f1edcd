using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using PatientJourney.Hosting.Security;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.SeedLoader;

namespace PatientJourney.IntegrationTests.Dashboard;

/// <summary>The navigator's actions without a script: the form posts, the dashboard forwards it and sends the browser back.</summary>
public class DashboardActionsTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private async Task<string> RegisteredPatientAsync(string patientId)
    {
        var registration = SeedCase.Load().Requests.First(r => r.Path == "/patients").Body.DeepClone().AsObject();
        registration["patientId"] = patientId;
        using var registered = await system.PostAsync("diagnosis", "/patients", registration);
        Assert.Equal(HttpStatusCode.Accepted, registered.StatusCode);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(patientId) == 1, "the registration in the journey");
        return patientId;
    }

    private static async Task<HttpClient> BrowserAsync(DashboardHost dashboard, string role)
    {
        var client = dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var signIn = await DashboardHost.SignInAsync(client, TestTokens.For(role, "nurse.navigator"));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return client;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string patientId, string action, Dictionary<string, string> fields, bool withToken = true)
    {
        if (withToken)
        {
            var form = await DashboardHost.FormTokenAsync(client, $"/patients/{patientId}");
            fields[form.Field] = form.Value;
        }
        return await client.PostAsync($"/patients/{patientId}/actions/{action}", new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task Without_a_script_an_action_posts_is_recorded_with_the_users_token_and_sends_the_browser_back()
    {
        var patientId = await RegisteredPatientAsync("ACTIONS-NOSCRIPT-1");
        await using var dashboard = new DashboardHost(system);
        var nurse = await BrowserAsync(dashboard, Roles.Navigator);

        using var page = await nurse.GetAsync($"/patients/{patientId}");
        Assert.Contains("data-action=\"navigator\"", await page.Content.ReadAsStringAsync());
        using var posted = await PostAsync(nurse, patientId, "navigator", new() { ["navigator"] = "nurse.navigator", ["returnUrl"] = $"/patients/{patientId}" });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal($"/patients/{patientId}?recorded=navigator", posted.Headers.Location?.OriginalString);
        Assert.Contains("<p role=\"status\" data-recorded>Recorded: Assign a navigator.</p>", await nurse.GetStringAsync(posted.Headers.Location!.OriginalString));
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(patientId) == 2, "the assignment in the journey");
    }

    [Fact]
    public async Task Without_a_script_an_interval_override_is_recorded_shown_in_force_on_the_schedule_and_sets_the_open_items_due_date_in_the_journey()
    {
        var patientId = await RegisteredPatientAsync("ACTIONS-OVERRIDE-1");
        using var plan = await system.PostAsync("diagnosis", $"/patients/{patientId}/surveillance-plans", new { startsOn = "2012-01-24", protocol = "ct-q3m-visits-q1m" });
        Assert.Equal(HttpStatusCode.Accepted, plan.StatusCode);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(patientId) == 2, "the plan in the journey");
        await using var dashboard = new DashboardHost(system);
        var nurse = await BrowserAsync(dashboard, Roles.Navigator);

        using var posted = await PostAsync(nurse, patientId, "override", new()
        {
            ["kind"] = "ct", ["intervalMonths"] = "6", ["reason"] = "contrast CT every 6 months: reduced renal function", ["returnUrl"] = $"/patients/{patientId}?recorded=book",
        });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal($"/patients/{patientId}?recorded=override", posted.Headers.Location?.OriginalString);

        // The journey: the override in force, and the open CT due six months after the plan's start instead of three.
        JsonObject? surveillance = null;
        await Eventually.HoldsAsync(async () =>
        {
            surveillance = await system.JourneyClient.GetFromJsonAsync<JsonObject>($"/patients/{patientId}/surveillance");
            return surveillance!["overrides"]!.AsArray().Count == 1;
        }, "the override in the journey's surveillance");
        var inForce = surveillance!["overrides"]![0]!;
        Assert.Equal(("ct", 6, "contrast CT every 6 months: reduced renal function"), ((string)inForce["kind"]!, (int)inForce["intervalMonths"]!, (string)inForce["reason"]!));
        var ct = surveillance["items"]!.AsArray().Single(i => (string)i!["kind"]! == "ct")!;
        Assert.Equal(("2012-07-24", (string)inForce["eventId"]!), ((string)ct["dueOn"]!, (string)ct["overriddenBy"]!));

        var html = await nurse.GetStringAsync(posted.Headers.Location!.OriginalString);
        Assert.Contains("data-recorded>Recorded: Override an interval.</p>", html);
        Assert.Contains($"<li data-override=\"ct\">ct every 6 months since <time datetime=\"{(string)inForce["since"]!}\">", html);
        Assert.Matches($"<tr data-kind=\"ct\"><td><time datetime=\"2012-07-24\">.*?<span class=\"badge\" data-overridden-by=\"{(string)inForce["eventId"]!}\">overridden: every 6 months</span>", html);
    }

    [Fact]
    public async Task Without_a_script_a_refused_override_names_the_interval_or_the_kind_beside_its_field()
    {
        var patientId = await RegisteredPatientAsync("ACTIONS-OVERRIDE-2");
        await using var dashboard = new DashboardHost(system);
        var nurse = await BrowserAsync(dashboard, Roles.Navigator);

        using var tooLong = await PostAsync(nurse, patientId, "override", new() { ["kind"] = "ct", ["intervalMonths"] = "121", ["reason"] = "fewer scans" });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Matches("<span class=\"error\" role=\"alert\" id=\"override-intervalMonths-error\" data-error-for=\"intervalMonths\">[^<]+</span>", await tooLong.Content.ReadAsStringAsync());

        // No surveillance plan: she has no open PET/CT whose interval could change.
        using var noItem = await PostAsync(nurse, patientId, "override", new() { ["kind"] = "pet-ct", ["intervalMonths"] = "12", ["reason"] = "yearly PET/CT" });
        Assert.Equal(HttpStatusCode.Conflict, noItem.StatusCode);
        var html = await noItem.Content.ReadAsStringAsync();
        Assert.Matches("<span class=\"error\" role=\"alert\" id=\"override-kind-error\" data-error-for=\"kind\">[^<]*no open pet-ct item[^<]*</span>", html);
        Assert.Contains("<option selected>pet-ct</option>", html);
    }

    [Fact]
    public async Task Without_a_script_a_refused_action_comes_back_with_the_departments_message_beside_its_field()
    {
        var patientId = await RegisteredPatientAsync("ACTIONS-NOSCRIPT-2");
        await using var dashboard = new DashboardHost(system);
        var nurse = await BrowserAsync(dashboard, Roles.Navigator);

        using var refused = await PostAsync(nurse, patientId, "death", new() { ["diedOn"] = "2999-01-01", ["returnUrl"] = "//evil.example" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Matches("aria-describedby=\"death-diedOn-error\" aria-invalid=\"true\">", html);
        Assert.Matches("<span class=\"error\" role=\"alert\" id=\"death-diedOn-error\" data-error-for=\"diedOn\">[^<]+</span>", html);
        Assert.DoesNotContain("evil.example", html); // a hostile returnUrl falls back to the worklist
    }

    [Fact]
    public async Task An_action_without_this_sites_anti_forgery_token_or_from_a_clinician_records_nothing()
    {
        var patientId = await RegisteredPatientAsync("ACTIONS-REFUSED-1");
        await using var dashboard = new DashboardHost(system);
        var before = (await system.DepartmentEventCountsAsync())["diagnosis"];

        var nurse = await BrowserAsync(dashboard, Roles.Navigator);
        using var forged = await PostAsync(nurse, patientId, "navigator", new() { ["navigator"] = "mallory" }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("__RequestVerificationToken", await forged.Content.ReadAsStringAsync());

        var clinician = await BrowserAsync(dashboard, Roles.Clinician);
        using var page = await clinician.GetAsync($"/patients/{patientId}");
        Assert.DoesNotContain("data-action=", await page.Content.ReadAsStringAsync());
        using var notAllowed = await PostAsync(clinician, patientId, "navigator", new() { ["navigator"] = "mallory" });
        Assert.Equal(HttpStatusCode.Forbidden, notAllowed.StatusCode);

        Assert.Equal(before, (await system.DepartmentEventCountsAsync())["diagnosis"]);
    }
}
