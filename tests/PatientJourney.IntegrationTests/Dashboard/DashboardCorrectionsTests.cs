using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using PatientJourney.Hosting.Security;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.SeedLoader;

namespace PatientJourney.IntegrationTests.Dashboard;

/// <summary>
/// A department user's corrections without a script: the Retract and Amend forms post to the dashboard, which forwards
/// them to her department with her own token and sends the browser back; a refusal records nothing.
/// </summary>
public class DashboardCorrectionsTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private static readonly string[] DiagnosisUser = [Roles.Clinician, Roles.Department("diagnosis")];

    /// <summary>A registered patient and her ECOG (a diagnosis fact), both in the journey: the ECOG's event id.</summary>
    private async Task<Guid> PatientWithAnEcogAsync(string patientId)
    {
        var registration = SeedCase.Load().Requests.First(r => r.Path == "/patients").Body.DeepClone().AsObject();
        registration["patientId"] = patientId;
        using var registered = await system.PostAsync("diagnosis", "/patients", registration);
        Assert.Equal(HttpStatusCode.Accepted, registered.StatusCode);
        using var ecog = await system.PostAsync("diagnosis", $"/patients/{patientId}/performance-status", new { occurredOn = "2010-12-06", ecog = 1 });
        Assert.Equal(HttpStatusCode.Accepted, ecog.StatusCode);
        var eventId = (await ecog.Content.ReadFromJsonAsync<JsonObject>())!["eventId"]!.GetValue<Guid>();
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(patientId) == 2, "the registration and the ECOG in the journey");
        return eventId;
    }

    private static async Task<HttpClient> BrowserAsync(DashboardHost dashboard, string[] roles, string user)
    {
        var client = dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var signIn = await DashboardHost.SignInAsync(client, TestTokens.For(roles, user));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return client;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string patientId, string department, Guid eventId, string correction, Dictionary<string, string> fields)
    {
        var form = await DashboardHost.FormTokenAsync(client, $"/patients/{patientId}");
        fields[form.Field] = form.Value;
        return await client.PostAsync($"/patients/{patientId}/corrections/{department}/{eventId}/{correction}", new FormUrlEncodedContent(fields));
    }

    private async Task<JsonObject> EntryAsync(string patientId, Guid eventId)
    {
        var journey = await system.JourneyClient.GetFromJsonAsync<JsonObject>($"/patients/{patientId}/journey");
        return journey!["entries"]!.AsArray().Select(e => e!.AsObject()).Single(e => e["eventId"]!.GetValue<Guid>() == eventId);
    }

    [Fact]
    public async Task Without_a_script_a_department_user_amends_then_retracts_her_departments_fact_with_her_own_token_and_sees_it_struck_through_with_the_reason()
    {
        const string patientId = "CORRECT-NOSCRIPT-1";
        var ecog = await PatientWithAnEcogAsync(patientId);
        await using var dashboard = new DashboardHost(system);
        var user = await BrowserAsync(dashboard, DiagnosisUser, "dr.diagnosis");

        var html = await (await user.GetAsync($"/patients/{patientId}")).Content.ReadAsStringAsync();
        Assert.Contains($"action=\"/patients/{patientId}/corrections/diagnosis/{ecog}/retract\"", html);
        Assert.Contains($"action=\"/patients/{patientId}/corrections/diagnosis/{ecog}/amend\"", html);
        Assert.Matches("<label for=\"amend-[0-9a-f]{32}-body\">Corrected fact \\(JSON\\)</label> <span class=\"hint\" id=\"amend-[0-9a-f]{32}-body-hint\">", html);

        using var amended = await PostAsync(user, patientId, "diagnosis", ecog, "amend", new()
        {
            ["reason"] = "ECOG 2 in the clinic letter", ["body"] = """{"occurredOn": "2010-12-06", "ecog": 2}""", ["returnUrl"] = $"/patients/{patientId}",
        });
        Assert.Equal(HttpStatusCode.Redirect, amended.StatusCode);
        Assert.Equal($"/patients/{patientId}", amended.Headers.Location?.OriginalString);
        JsonObject replaced = null!;
        await Eventually.HoldsAsync(async () => (replaced = await EntryAsync(patientId, ecog))["amendedBy"] is not null, "the amendment in the journey");
        Assert.Equal("dr.diagnosis", (string?)replaced["correction"]!["by"]); // her token, not the dashboard's
        var version = replaced["amendedBy"]!.GetValue<Guid>();

        using var retracted = await PostAsync(user, patientId, "diagnosis", version, "retract", new() { ["reason"] = "entered on the wrong patient", ["returnUrl"] = $"/patients/{patientId}" });
        Assert.Equal(HttpStatusCode.Redirect, retracted.StatusCode);
        await Eventually.HoldsAsync(async () => (bool)(await EntryAsync(patientId, version))["retracted"]!, "the retraction in the journey");

        html = await (await user.GetAsync($"/patients/{patientId}")).Content.ReadAsStringAsync();
        Assert.Matches($"<li [^>]*data-event=\"{version}\"[^>]*data-corrected=\"retracted\"><del>.*?</del> <span class=\"correction\"><strong>Retracted</strong> by dr.diagnosis on <time [^>]+>[^<]+</time>: entered on the wrong patient</span></li>", html);
        Assert.Matches($"<li [^>]*data-event=\"{ecog}\"[^>]*data-corrected=\"replaced\"><del>.*?</del> <span class=\"correction\"><strong>Replaced</strong> by <a href=\"#event-{version}\">its amended version</a> by dr.diagnosis on <time [^>]+>[^<]+</time>: ECOG 2 in the clinic letter</span></li>", html);
        Assert.DoesNotContain($"/corrections/diagnosis/{ecog}/", html); // neither version stands: nothing to correct
        Assert.DoesNotContain($"/corrections/diagnosis/{version}/", html);
    }

    [Fact]
    public async Task A_refused_correction_comes_back_with_the_reason_beside_its_field_and_records_nothing_and_only_the_facts_department_may_correct()
    {
        const string patientId = "CORRECT-REFUSED-1";
        var ecog = await PatientWithAnEcogAsync(patientId);
        await using var dashboard = new DashboardHost(system);
        var before = await system.DepartmentEventCountsAsync();
        var user = await BrowserAsync(dashboard, DiagnosisUser, "dr.diagnosis");

        using var noReason = await PostAsync(user, patientId, "diagnosis", ecog, "retract", new() { ["returnUrl"] = $"/patients/{patientId}" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Matches("<span class=\"error\" role=\"alert\" id=\"retract-reason-error\" data-error-for=\"reason\">[^<]+</span>", await noReason.Content.ReadAsStringAsync());

        using var notJson = await PostAsync(user, patientId, "diagnosis", ecog, "amend", new() { ["reason"] = "typo", ["body"] = "ecog: 2" });
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Matches("id=\"amend-body-error\" data-error-for=\"body\">is not a JSON object", await notJson.Content.ReadAsStringAsync());

        // The department checks the body as its own command does; its `body.ecog` is said for the whole form (script: JSON).
        var form = await DashboardHost.FormTokenAsync(user, $"/patients/{patientId}");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/patients/{patientId}/corrections/diagnosis/{ecog}/amend")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { [form.Field] = form.Value, ["reason"] = "typo", ["body"] = """{"occurredOn": "2010-12-06", "ecog": 9}""" }),
        };
        request.Headers.Accept.ParseAdd("application/json");
        using var invalid = await user.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var answer = (await invalid.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.False((bool)answer["accepted"]!);
        Assert.NotNull(answer["errors"]!["body.ecog"]);

        // Another department's user, a clinician: no forms, and a post is refused before anything is forwarded.
        var imaging = await BrowserAsync(dashboard, [Roles.Clinician, Roles.Department("imaging")], "dr.imaging");
        Assert.DoesNotContain("/corrections/", await (await imaging.GetAsync($"/patients/{patientId}")).Content.ReadAsStringAsync());
        using var otherDepartment = await PostAsync(imaging, patientId, "diagnosis", ecog, "retract", new() { ["reason"] = "not mine" });
        Assert.Equal(HttpStatusCode.Forbidden, otherDepartment.StatusCode);
        // Named as her own department's fact: her department knows no such fact of hers.
        using var notHers = await PostAsync(imaging, patientId, "imaging", ecog, "retract", new() { ["reason"] = "not mine" });
        Assert.Equal(HttpStatusCode.NotFound, notHers.StatusCode);
        var clinician = await BrowserAsync(dashboard, [Roles.Clinician], "oncologist");
        Assert.DoesNotContain("/corrections/", await (await clinician.GetAsync($"/patients/{patientId}")).Content.ReadAsStringAsync());
        using var notAllowed = await PostAsync(clinician, patientId, "diagnosis", ecog, "retract", new() { ["reason"] = "no" });
        Assert.Equal(HttpStatusCode.Forbidden, notAllowed.StatusCode);

        Assert.Equal(before, await system.DepartmentEventCountsAsync());
        Assert.Null((await EntryAsync(patientId, ecog))["correction"]);
    }
}
