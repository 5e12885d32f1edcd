using System.Net;
using Microsoft.Playwright;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.SeedLoader;

namespace PatientJourney.IntegrationTests.Dashboard;

/// <summary>
/// The dashboard in a real browser: Debian's chromium (never a downloaded one) driven by Playwright, against the
/// whole system on real PostgreSQL and RabbitMQ with the seed case loaded.
/// </summary>
public class DashboardBrowserTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task A_nurse_navigator_sees_the_worklist_and_the_patient_page_and_a_new_event_appears_without_reload()
    {
        var seed = await system.LoadSeedCaseAsync();
        await using var served = await ServedDashboard.StartAsync(system);
        var (baseUrl, browser) = (served.BaseUrl, served.Browser);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        // The Content-Security-Policy must not block the pages' own script, styles or charts.
        var blocked = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Console += (_, message) => { if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) blocked.Enqueue(message.Text); };

        // Signing in: the worklist sends an anonymous visitor to the sign-in page.
        await page.GotoAsync(baseUrl + "/");
        Assert.Contains("/signin", page.Url);
        await page.GetByLabel("Access token").FillAsync(TestTokens.For(PatientJourney.Hosting.Security.Roles.Clinician, "nurse.navigator"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // The worklist as of a day in her surveillance: her next CT is on it.
        await page.GetByLabel("As of").FillAsync("2012-08-15");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        var ct = page.Locator($"tr[data-patient='{seed.PatientId}'][data-kind='ct']");
        await Assertions.Expect(ct.First).ToBeVisibleAsync();
        await ScreenshotAsync(page, "worklist.png");
        var statusesThen = await page.Locator($"tr[data-patient='{seed.PatientId}'] td:first-child").AllInnerTextsAsync();

        // The as-of picker changes the statuses: years later, everything open is overdue.
        await page.GetByLabel("As of").FillAsync("2014-01-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(page.Locator("caption time")).ToHaveAttributeAsync("datetime", "2014-01-01");
        var statusesLater = await page.Locator($"tr[data-patient='{seed.PatientId}'] td:first-child").AllInnerTextsAsync();
        Assert.NotEqual(statusesThen, statusesLater);
        Assert.All(statusesLater, s => Assert.Equal("overdue", s));

        // Her page: four lanes, 5 cycles, 3 TACE sessions, the RFA, the partial response and the doxorubicin flag.
        await page.Locator($"a[href='/patients/{seed.PatientId}']").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-lane]")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("[data-lane='chemotherapy'] li[data-type='ChemoCycleCompleted']")).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator("[data-lane='interventional'] li[data-type='TacePerformed']")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("[data-lane='interventional'] li[data-type='RfaPerformed']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-lane='imaging'] li[data-type='RecistResponse']", new() { HasTextString = "PR" }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[role='alert'][data-flag^='doxorubicin']").First).ToBeVisibleAsync();
        // The charts: tumour burden with its RECIST categories, SUVmax per lesion.
        await Assertions.Expect(page.Locator("#tumour-burden [data-point-label='PR']").First).ToBeAttachedAsync();
        Assert.True(await page.Locator("#suv-max polyline").CountAsync() >= 2, "one SUVmax line per lesion");
        await Assertions.Expect(page.Locator("#timeline [data-timeline-lane]")).ToHaveCountAsync(4);
        await ScreenshotAsync(page, "patient.png");

        // It holds up on a tablet: nothing wider than the screen.
        await page.SetViewportSizeAsync(768, 1024);
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the patient page scrolls sideways at tablet width");
        await page.SetViewportSizeAsync(1280, 800);

        // Live: a visit recorded by the diagnosis department now appears on the open page, without reload, within 2 s
        // of the journey storing it.
        var visits = page.Locator("[data-lane='diagnosis'] li[data-type='ClinicVisitRecorded']");
        var before = await visits.CountAsync();
        await page.EvaluateAsync("window.__notReloaded = true");
        using var posted = await system.PostAsync("diagnosis", $"/patients/{seed.PatientId}/visits", new { occurredOn = "2012-09-24", ecog = 0 });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(seed.PatientId) == seed.JourneyEntryCount + 1, "the visit stored by the journey");
        await Assertions.Expect(visits).ToHaveCountAsync(before + 1, new() { Timeout = 2000 });
        Assert.True(await page.EvaluateAsync<bool>("window.__notReloaded === true"), "the page was reloaded");

        // The audit page is for auditors: the clinician is refused; an auditor sees every envelope, and what was known earlier.
        var refused = await page.GotoAsync($"{baseUrl}/patients/{seed.PatientId}/audit");
        Assert.Equal(403, refused!.Status);
        var auditor = await browser.NewPageAsync();
        await auditor.GotoAsync($"{baseUrl}/signin?returnUrl=/patients/{seed.PatientId}/audit");
        await auditor.GetByLabel("Access token").FillAsync(TestTokens.For(PatientJourney.Hosting.Security.Roles.Auditor, "auditor.1"));
        await auditor.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(auditor.Locator("tr[data-event]")).ToHaveCountAsync(seed.JourneyEventCount + 1);
        await Assertions.Expect(auditor.Locator("tr[data-event] td:nth-child(6)", new() { HasTextString = "test-department-diagnosis" }).First).ToBeVisibleAsync();
        await ScreenshotAsync(auditor, "audit.png");
        await auditor.GetByLabel("As known at (UTC)").FillAsync("2000-01-01T00:00");
        await auditor.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(auditor.Locator("[data-known-events]")).ToHaveAttributeAsync("data-known-events", "0");
        Assert.True(blocked.IsEmpty, string.Join("\n", blocked));

        // Signing out from the page's own control ends the session: the audit page asks for a sign-in again.
        await auditor.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(auditor.GetByLabel("Access token")).ToBeVisibleAsync();
        await auditor.GotoAsync($"{baseUrl}/patients/{seed.PatientId}/audit");
        Assert.Contains("/signin", auditor.Url);
    }

    [Fact]
    public async Task When_the_token_expires_the_open_patient_page_says_it_is_no_longer_live_and_offers_to_sign_in_again()
    {
        // A patient of her own (the other test adds to the seed case's journey): the seed's registration, another id.
        const string patientId = "LIVE-EXPIRY-0001";
        var registration = SeedCase.Load().Requests.First(r => r.Path == "/patients").Body.DeepClone().AsObject();
        registration["patientId"] = patientId;
        using var registered = await system.PostAsync("diagnosis", "/patients", registration);
        Assert.Equal(HttpStatusCode.Accepted, registered.StatusCode);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(patientId) == 1, "the registration in the journey");

        await using var served = await ServedDashboard.StartAsync(system);
        var (baseUrl, browser) = (served.BaseUrl, served.Browser);
        var page = await browser.NewPageAsync();
        await page.GotoAsync($"{baseUrl}/signin?returnUrl=/patients/{patientId}");
        await page.GetByLabel("Access token").FillAsync(PatientJourney.Hosting.Security.DevelopmentTokens.Issue("nurse.navigator", [PatientJourney.Hosting.Security.Roles.Clinician], TimeSpan.FromSeconds(10)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-lane]")).ToHaveCountAsync(4);

        var ended = page.Locator("[data-live-ended='expired']");
        await Assertions.Expect(ended).ToBeVisibleAsync(new() { Timeout = 25_000 });
        await Assertions.Expect(ended.GetByRole(AriaRole.Link, new() { Name = "Sign in again" }))
            .ToHaveAttributeAsync("href", $"/signin?returnUrl={Uri.EscapeDataString($"/patients/{patientId}")}");
    }

    /// <summary>The dashboard on a free port with Kestrel, and chromium to look at it.</summary>
    internal sealed class ServedDashboard(DashboardHost dashboard, IPlaywright playwright, IBrowser browser, string baseUrl) : IAsyncDisposable
    {
        public string BaseUrl => baseUrl;
        public IBrowser Browser => browser;

        public static async Task<ServedDashboard> StartAsync(PatientJourneySystem system)
        {
            var dashboard = new DashboardHost(system);
            var address = dashboard.Serve();
            var playwright = await Playwright.CreateAsync();
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium, Headless = true });
            return new ServedDashboard(dashboard, playwright, browser, address.GetLeftPart(UriPartial.Authority));
        }

        /// <summary>A new page signed in with a token of the role and user, landed on <paramref name="returnUrl"/>.</summary>
        public Task<IPage> SignedInPageAsync(string role, string user, string returnUrl, IBrowserContext? context = null) =>
            SignedInPageAsync([role], user, returnUrl, context);

        /// <summary>The same with a token carrying several roles (a department's beside a reading one).</summary>
        public async Task<IPage> SignedInPageAsync(string[] roles, string user, string returnUrl, IBrowserContext? context = null)
        {
            var page = context is null ? await browser.NewPageAsync() : await context.NewPageAsync();
            await page.GotoAsync($"{baseUrl}/signin?returnUrl={Uri.EscapeDataString(returnUrl)}");
            await page.GetByLabel("Access token").FillAsync(TestTokens.For(roles, user));
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            // Landed once the navigation commits: the assertions that follow wait for what they need. The whole load
            // (every asset, under the full suite's load) is no part of signing in.
            await page.WaitForURLAsync(baseUrl + returnUrl, new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
            return page;
        }

        public async ValueTask DisposeAsync()
        {
            await browser.DisposeAsync();
            playwright.Dispose();
            await dashboard.DisposeAsync();
        }
    }

    /// <summary>With PJ_SCREENSHOTS set to a folder (docs/screenshots for the README), the pages are photographed there.</summary>
    private static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("PJ_SCREENSHOTS") is { Length: > 0 } folder)
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = true });
    }
}
