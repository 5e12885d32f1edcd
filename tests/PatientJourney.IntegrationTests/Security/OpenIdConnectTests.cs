using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;
using PatientJourney.Hosting.Security;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Security;

public class OpenIdConnectTests(OpenIdConnectSystem system) : IClassFixture<OpenIdConnectSystem>
{
    private const string Visit = """{"occurredOn":"2012-07-24"}""";
    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    private Task<string> TokenAsync(OpenIdProvider.Client client, OpenIdProvider? provider = null) =>
        (provider ?? system.Provider).ClientCredentialsTokenAsync(client.ClientId, client.Secret);

    /// <summary>The diagnosis desk records a visit, with the provider's token.</summary>
    private async Task RecordVisitAsync(string patientId)
    {
        using var diagnosis = system.Diagnosis.CreateClient(await TokenAsync(OpenIdConnectSystem.DiagnosisDesk));
        Assert.Equal(HttpStatusCode.Accepted, (await diagnosis.PostAsync($"/patients/{patientId}/visits", Json(Visit))).StatusCode);
    }

    [Fact]
    public async Task The_services_accept_the_providers_access_tokens_with_the_roles_it_gives()
    {
        using var diagnosis = system.Diagnosis.CreateClient(await TokenAsync(OpenIdConnectSystem.DiagnosisDesk));
        Assert.Equal(HttpStatusCode.Accepted, (await diagnosis.PostAsync("/patients/OIDC-1/visits", Json(Visit))).StatusCode);

        using var journey = system.Journey.CreateClient(await TokenAsync(OpenIdConnectSystem.AuditRobot));
        await Eventually.HoldsAsync(async () => (await journey.GetAsync("/patients/OIDC-1/journey")).IsSuccessStatusCode, "the visit in the journey");
        var events = (await journey.GetFromJsonAsync<JsonArray>("/patients/OIDC-1/events"))!;
        // recordedBy is the provider's subject (for client credentials, the client).
        Assert.Equal(OpenIdConnectSystem.DiagnosisDesk.ClientId, (string)events.Single()!["recordedBy"]!);

        // The roles are the provider's: the desk may record, not read the journey; the auditor may read, not record.
        using var deskAtJourney = system.Journey.CreateClient(await TokenAsync(OpenIdConnectSystem.DiagnosisDesk));
        Assert.Equal(HttpStatusCode.Forbidden, (await deskAtJourney.GetAsync("/patients/OIDC-1/journey")).StatusCode);
        using var auditorAtDiagnosis = system.Diagnosis.CreateClient(await TokenAsync(OpenIdConnectSystem.AuditRobot));
        Assert.Equal(HttpStatusCode.Forbidden, (await auditorAtDiagnosis.PostAsync("/patients/OIDC-1/visits", Json(Visit))).StatusCode);
    }

    [Fact]
    public async Task A_token_from_another_issuer_or_the_development_key_is_refused_with_a_401_that_gives_no_reason()
    {
        var foreign = await TokenAsync(OpenIdConnectSystem.AuditRobot, system.OtherIssuer); // valid, RS256, same audience and roles
        var development = TestTokens.For(Roles.Auditor); // the public development key is not trusted beside an authority
        foreach (var token in new[] { foreign, development, "not.a.token" })
        {
            using var journey = system.Journey.CreateClient(token);
            using var response = await journey.GetAsync("/patients");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
            using var diagnosis = system.Diagnosis.CreateClient(token);
            Assert.Equal(HttpStatusCode.Unauthorized, (await diagnosis.PostAsync("/patients/OIDC-2/visits", Json(Visit))).StatusCode);
        }

        // The log says which kind of failure, never the token (nor its signature, the part only the holder has).
        var lines = system.Logs.Lines.ToArray();
        Assert.Contains(lines, l => l.Contains("Bearer token refused by Bearer: Security", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(foreign.Split('.')[2], StringComparison.Ordinal) || l.Contains(development.Split('.')[2], StringComparison.Ordinal));
        using var auditor = system.Journey.CreateClient(await TokenAsync(OpenIdConnectSystem.AuditRobot));
        Assert.Equal(HttpStatusCode.NotFound, (await auditor.GetAsync("/patients/OIDC-2/journey")).StatusCode);
    }

    [Fact]
    public async Task A_signing_key_rotated_at_the_provider_is_picked_up_without_restarting_the_services()
    {
        var first = await TokenAsync(OpenIdConnectSystem.AuditRobot);
        using var before = system.Journey.CreateClient(first);
        Assert.Equal(HttpStatusCode.OK, (await before.GetAsync("/patients")).StatusCode);

        // Twice: not only the first refresh of the keys is allowed.
        for (var rotation = 1; rotation <= 2; rotation++)
        {
            // The services fetch the keys again at most once per Auth:KeyRefreshInterval (1 s here), whatever asked
            // last (another test's unknown kid, the previous rotation): let that interval pass.
            await Task.Delay(TimeSpan.FromSeconds(1.2));
            var kid = await system.Provider.RotateSigningKeyAsync();
            var token = await TokenAsync(OpenIdConnectSystem.AuditRobot);
            Assert.Equal(kid, OpenIdProvider.KidOf(token));
            Assert.NotEqual(OpenIdProvider.KidOf(first), kid);

            // The very first request signed with the new key passes: the service fetched the provider's JWKS again while
            // it waited (a 401 here would reach a user as a failed page).
            using var journey = system.Journey.CreateClient(token);
            Assert.Equal(HttpStatusCode.OK, (await journey.GetAsync("/patients")).StatusCode);
            using var diagnosis = system.Diagnosis.CreateClient(await TokenAsync(OpenIdConnectSystem.DiagnosisDesk));
            Assert.Equal(HttpStatusCode.Accepted, (await diagnosis.PostAsync("/patients/OIDC-3/visits", Json(Visit))).StatusCode);
        }

        // The key the provider dropped is no longer trusted.
        Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync("/patients")).StatusCode);
    }

    [Fact]
    public async Task A_clinician_signs_in_to_the_dashboard_at_the_provider_and_the_journey_accepts_her_access_token()
    {
        await RecordVisitAsync("OIDC-4");
        await using var dashboard = new DashboardHost(system) { Settings = system.DashboardSettings };
        var signIn = new CodeFlow(dashboard, system.Provider);

        // No pasting a token beside a provider (outside development): the sign-in page sends to the provider.
        using (var browser = dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }))
        {
            using var page = await browser.GetAsync("/signin?returnUrl=/patients/OIDC-4");
            Assert.Equal("/signin/oidc?returnUrl=%2Fpatients%2FOIDC-4", page.Headers.Location?.ToString());
            using var pasted = await browser.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = TestTokens.For(Roles.Clinician) }));
            Assert.False(pasted.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("pj-dashboard=", StringComparison.Ordinal)),
                "a pasted development token signed the browser in beside the provider");
        }

        // A wrong password stays at the provider.
        using (var refused = await signIn.GoAsync("/patients/OIDC-4", OpenIdConnectSystem.Nurse.Username, "not her password"))
        {
            Assert.StartsWith(system.Provider.Issuer, refused.RequestMessage!.RequestUri!.ToString());
            Assert.Contains("wrong password", await refused.Content.ReadAsStringAsync());
        }

        signIn = new CodeFlow(dashboard, system.Provider);
        await Eventually.HoldsAsync(async () =>
        {
            using var page = await signIn.GoAsync("/patients/OIDC-4", OpenIdConnectSystem.Nurse.Username, OpenIdConnectSystem.Nurse.Password);
            // Her page, read from the journey with her own access token (the dashboard has none of its own).
            return page.StatusCode == HttpStatusCode.OK && (await page.Content.ReadAsStringAsync()).Contains("data-type=\"ClinicVisitRecorded\"", StringComparison.Ordinal);
        }, "the clinician's patient page with the visit");
        Assert.True(signIn.SawProviderLogin, "the sign-in went through the provider's login page");

        // A clinician is not an auditor.
        using var audit = await signIn.GoAsync("/patients/OIDC-4/audit", null, null);
        Assert.Equal(HttpStatusCode.Forbidden, audit.StatusCode);
    }

    [Fact]
    public async Task An_auditor_role_from_the_providers_claims_opens_the_dashboards_audit_page()
    {
        await RecordVisitAsync("OIDC-5");
        await using var dashboard = new DashboardHost(system) { Settings = system.DashboardSettings };
        var signIn = new CodeFlow(dashboard, system.Provider);
        await Eventually.HoldsAsync(async () =>
        {
            using var page = await signIn.GoAsync("/patients/OIDC-5/audit", OpenIdConnectSystem.Auditor.Username, OpenIdConnectSystem.Auditor.Password);
            return page.StatusCode == HttpStatusCode.OK && (await page.Content.ReadAsStringAsync()).Contains("data-known-events=\"1\"", StringComparison.Ordinal);
        }, "the audit page with the visit");
    }

    [Fact]
    public async Task In_a_real_browser_a_nurse_signs_in_at_the_provider_of_another_site_and_lands_on_the_page_she_asked_for()
    {
        await RecordVisitAsync("OIDC-6");
        using var auditor = system.Journey.CreateClient(await TokenAsync(OpenIdConnectSystem.AuditRobot));
        await Eventually.HoldsAsync(async () => (await auditor.GetAsync("/patients/OIDC-6/journey")).IsSuccessStatusCode, "the visit in the journey");
        var port = system.BrowserDashboardPort;
        await using var dashboard = new DashboardHost(system) { Port = port, Settings = system.DashboardSettings };
        dashboard.Serve();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium", Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        var patientPage = $"http://127.0.0.1:{port}/patients/OIDC-6";
        await page.GotoAsync(patientPage);
        // At the provider: localhost is another site than 127.0.0.1, as a hospital's provider is another site than the
        // dashboard, so the cookies that must come back with the code (correlation, nonce, session) are really tested.
        Assert.StartsWith(system.Provider.Issuer, page.Url);
        await page.GetByLabel("User name").FillAsync(OpenIdConnectSystem.Nurse.Username);
        await page.GetByLabel("Password").FillAsync(OpenIdConnectSystem.Nurse.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(patientPage);
        await Assertions.Expect(page.Locator("[data-lane='diagnosis'] li[data-type='ClinicVisitRecorded']")).ToHaveCountAsync(1);
    }

    /// <summary>
    /// A browser's part in the authorization code flow, with two HttpClients: the dashboard's in-memory server, and the
    /// provider over loopback (each keeping its own cookies). Redirects are followed by hand, the provider's login form is
    /// filled in and posted.
    /// </summary>
    private sealed class CodeFlow(DashboardHost dashboard, OpenIdProvider provider)
    {
        private readonly HttpClient _dashboard = dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        private readonly HttpClient _provider = new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() });

        public bool SawProviderLogin { get; private set; }

        public async Task<HttpResponseMessage> GoAsync(string path, string? username, string? password)
        {
            var response = await _dashboard.GetAsync(path);
            for (var hop = 0; hop < 20; hop++)
            {
                var at = response.RequestMessage!.RequestUri!;
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    var next = location.IsAbsoluteUri ? location : new Uri(at, location);
                    response.Dispose();
                    response = await (IsProvider(next) ? _provider : _dashboard).GetAsync(next);
                    continue;
                }
                if (IsProvider(at) && username is not null
                    && Regex.Match(await response.Content.ReadAsStringAsync(), "action=\"(/interaction/[^\"]+/login)\"") is { Success: true } form)
                {
                    SawProviderLogin = true;
                    response.Dispose();
                    response = await _provider.PostAsync(new Uri(at, form.Groups[1].Value), new FormUrlEncodedContent(new Dictionary<string, string>
                    {
                        ["username"] = username, ["password"] = password ?? "",
                    }));
                    username = null; // one try: a refused password shows the form again, and that is the answer
                    continue;
                }
                return response;
            }
            throw new InvalidOperationException("more than 20 redirects");
        }

        private bool IsProvider(Uri uri) => uri.GetLeftPart(UriPartial.Authority) == new Uri(provider.Issuer).GetLeftPart(UriPartial.Authority);
    }
}
