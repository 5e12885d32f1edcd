using System.Net;
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
        Assert.Equal($"/patients/{patientId}", posted.Headers.Location?.OriginalString);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(patientId) == 2, "the assignment in the journey");
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
