using Microsoft.Playwright;
using PatientJourney.Hosting.Security;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Dashboard;

/// <summary>
/// The navigator's actions in Debian's chromium: posted to the dashboard, forwarded to the diagnosis department with her
/// own token, answered in place. Its own system: the booking changes the seed case's journey.
/// </summary>
public class DashboardActionsBrowserTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    [Fact]
    public async Task A_navigator_books_the_open_CT_from_its_worklist_row_by_keyboard_alone_sees_it_booked_in_place_and_an_invalid_deferral_named_beside_its_field()
    {
        var seed = await system.LoadSeedCaseAsync();
        await using var served = await DashboardBrowserTests.ServedDashboard.StartAsync(system);
        await using var context = await served.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-US", TimezoneId = "UTC" });
        var page = await context.NewPageAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        // Signing in with the keyboard: Tab to the token, type it, Tab to the button, Enter.
        await page.GotoAsync(served.BaseUrl + "/signin?returnUrl=/");
        await TabToAsync(page, "#token");
        await page.Keyboard.InsertTextAsync(TestTokens.For(Roles.Navigator, "nurse.navigator"));
        await TabToAsync(page, "button[type=submit]");
        await page.Keyboard.PressAsync("Enter");
        var row = page.Locator($"tr[data-patient='{seed.PatientId}'][data-kind='ct']");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await page.EvaluateAsync("window.__notReloaded = true");

        // Her open CT: the row's actions, the booking's date typed in, the Book button, all by keyboard.
        var rowSelector = $"tr[data-patient='{seed.PatientId}'][data-kind='ct']";
        await TabToAsync(page, $"{rowSelector} summary");
        await page.Keyboard.PressAsync("Enter");
        await TabToAsync(page, $"{rowSelector} form[data-action='book'] input[name='scheduledOn']");
        await TypeDateAsync(page, today.AddDays(10));
        await TabToAsync(page, $"{rowSelector} form[data-action='book'] button[type=submit]");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(row.Locator("td[data-status]")).ToHaveTextAsync("booked");
        Assert.True(await page.EvaluateAsync<bool>("window.__notReloaded === true"), "the page was reloaded");

        // A deferral until today (it must be after today): refused by the department, its message beside "until".
        await TabToAsync(page, $"{rowSelector} form[data-action='defer'] input[name='until']");
        await TypeDateAsync(page, today);
        await TabToAsync(page, $"{rowSelector} form[data-action='defer'] input[name='reason']");
        await page.Keyboard.TypeAsync("patient abroad");
        await TabToAsync(page, $"{rowSelector} form[data-action='defer'] button[type=submit]");
        await page.Keyboard.PressAsync("Enter");
        var until = row.Locator("form[data-action='defer'] input[name='until']");
        var error = row.Locator("form[data-action='defer'] [data-error-for='until']");
        await Assertions.Expect(error).ToContainTextAsync("after today");
        await Assertions.Expect(error).ToHaveAttributeAsync("role", "alert");
        Assert.Equal(await error.GetAttributeAsync("id"), await until.GetAttributeAsync("aria-describedby"));
        await Assertions.Expect(until).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(row.Locator("td[data-status]")).ToHaveTextAsync("booked");
        Assert.True(await page.EvaluateAsync<bool>("window.__notReloaded === true"), "the page was reloaded");

        // The patient's own actions (the plan, a death, her navigator) are one link away, on her page.
        await Assertions.Expect(row.GetByRole(AriaRole.Link, new() { Name = "End the plan, record a death, assign a navigator" }))
            .ToHaveAttributeAsync("href", $"/patients/{seed.PatientId}#actions");

        // The audit page: the booking, recorded by the navigator herself (her token, not the dashboard's).
        var auditor = await context.NewPageAsync();
        await auditor.GotoAsync($"{served.BaseUrl}/signin?returnUrl=/patients/{seed.PatientId}/audit");
        await auditor.GetByLabel("Access token").FillAsync(TestTokens.For(Roles.Auditor, "auditor.1"));
        await auditor.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        var booked = auditor.Locator("tr[data-event]", new() { HasTextString = "AppointmentBooked" });
        await Eventually.HoldsAsync(async () =>
        {
            await auditor.ReloadAsync();
            return await booked.CountAsync() == 1;
        }, "the booking on the audit page");
        await Assertions.Expect(booked.Locator("td:nth-child(6)")).ToHaveTextAsync("nurse.navigator");
        await Assertions.Expect(booked.Locator("td:nth-child(3)")).ToHaveTextAsync("diagnosis");
    }

    /// <summary>Presses Tab until the element the selector names has the focus (keyboard only: no click, no focus()).</summary>
    internal static async Task TabToAsync(IPage page, string selector)
    {
        for (var presses = 0; presses < 400; presses++)
        {
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) === true", selector)) return;
            await page.Keyboard.PressAsync("Tab");
        }
        throw new Xunit.Sdk.XunitException($"Tab never reached {selector}");
    }

    /// <summary>A date typed into a focused date input as an en-US keyboard user does: month, day, year.</summary>
    internal static Task TypeDateAsync(IPage page, DateOnly day) =>
        page.Keyboard.TypeAsync(day.ToString("MMddyyyy", System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>The patient page's actions with the mouse, on a system of their own (the seed case's journey changes).</summary>
public class DashboardPatientActionsBrowserTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    [Fact]
    public async Task A_navigator_assigns_herself_on_the_patient_page_with_the_mouse_and_a_clinician_sees_no_actions()
    {
        var seed = await system.LoadSeedCaseAsync();
        await using var served = await DashboardBrowserTests.ServedDashboard.StartAsync(system);
        var page = await served.Browser.NewPageAsync();
        await page.GotoAsync($"{served.BaseUrl}/signin?returnUrl=/patients/{seed.PatientId}");
        await page.GetByLabel("Access token").FillAsync(TestTokens.For(Roles.Navigator, "nurse.navigator"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // Missing the navigator's name: the department names the field, shown beside it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Assign a navigator" }).ClickAsync();
        await Assertions.Expect(page.Locator("#patient-navigator-navigator-error")).Not.ToBeEmptyAsync();
        await page.GetByLabel("Navigator (user name)").FillAsync("nurse.navigator");
        await page.GetByRole(AriaRole.Button, new() { Name = "Assign a navigator" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-recorded]")).ToContainTextAsync("Recorded");
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(seed.PatientId) > seed.JourneyEntryCount, "the assignment in the journey");

        var clinician = await served.Browser.NewPageAsync();
        await clinician.GotoAsync($"{served.BaseUrl}/signin?returnUrl=/patients/{seed.PatientId}");
        await clinician.GetByLabel("Access token").FillAsync(TestTokens.For(Roles.Clinician, "oncologist"));
        await clinician.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(clinician.Locator("[data-lane]")).ToHaveCountAsync(4);
        await Assertions.Expect(clinician.Locator("form[data-action]")).ToHaveCountAsync(0);
        await clinician.GotoAsync(served.BaseUrl + "/");
        await Assertions.Expect(clinician.Locator("form[data-action]")).ToHaveCountAsync(0);
    }
}
