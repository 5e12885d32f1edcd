using System.Net.Http.Json;
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
        var auditor = await served.SignedInPageAsync(Roles.Auditor, "auditor.1", $"/patients/{seed.PatientId}/audit", context);
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
        var page = await served.SignedInPageAsync(Roles.Navigator, "nurse.navigator", $"/patients/{seed.PatientId}");

        // Missing the navigator's name: the department names the field, shown beside it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Assign a navigator" }).ClickAsync();
        await Assertions.Expect(page.Locator("#patient-navigator-navigator-error")).Not.ToBeEmptyAsync();
        await page.GetByLabel("Navigator (user name)").FillAsync("nurse.navigator");
        await page.GetByRole(AriaRole.Button, new() { Name = "Assign a navigator" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-recorded]")).ToHaveTextAsync("Recorded: Assign a navigator.");
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(seed.PatientId) > seed.JourneyEntryCount, "the assignment in the journey");

        var clinician = await served.SignedInPageAsync(Roles.Clinician, "oncologist", $"/patients/{seed.PatientId}");
        await Assertions.Expect(clinician.Locator("[data-lane]")).ToHaveCountAsync(4);
        await Assertions.Expect(clinician.Locator("form[data-action]")).ToHaveCountAsync(0);
        await clinician.GotoAsync(served.BaseUrl + "/");
        await Assertions.Expect(clinician.Locator("form[data-action]")).ToHaveCountAsync(0);
    }
}

/// <summary>The patient's own actions that end her surveillance, with the mouse, on a system of their own (she dies in it).</summary>
public class DashboardPatientEndingActionsBrowserTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    [Fact]
    public async Task A_navigator_enters_an_outside_result_ends_the_plan_and_records_a_death_with_the_mouse_keeps_what_she_typed_through_live_updates_and_the_patient_leaves_the_worklist()
    {
        var seed = await system.LoadSeedCaseAsync();
        await using var served = await DashboardBrowserTests.ServedDashboard.StartAsync(system);
        var page = await served.SignedInPageAsync(Roles.Navigator, "nurse.navigator", $"/patients/{seed.PatientId}");
        var entries = seed.JourneyEntryCount;

        async Task RecordAsync(string form, string button)
        {
            await page.Locator($"#{form}").GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-recorded]")).ToHaveTextAsync($"Recorded: {button}.");
            entries++;
            await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(seed.PatientId) == entries, $"'{button}' in the journey");
        }

        // The date of death typed first: the outside result recorded meanwhile reaches the page live and leaves it typed.
        await page.Locator("#patient-death-diedOn").FillAsync("2014-01-01");
        await page.Locator("#patient-outside-result-kind").SelectOptionAsync("ct");
        await page.Locator("#patient-outside-result-performedOn").FillAsync("2012-10-20");
        await page.Locator("#patient-outside-result-facility").FillAsync("Regional Hospital");
        await RecordAsync("patient-outside-result", "Enter an outside result");
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "2012-10-24 ct done 2012-10-20" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#patient-death-diedOn")).ToHaveValueAsync("2014-01-01");

        await page.Locator("#patient-end-plan-endedOn").FillAsync("2013-01-24");
        await page.Locator("#patient-end-plan-reason").SelectOptionAsync("transferred");
        await RecordAsync("patient-end-plan", "End the plan");
        await RecordAsync("patient-death", "Record a death");

        var journey = (await system.JourneyClient.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/patients/{seed.PatientId}/journey"))!;
        Assert.Equal((true, "2014-01-01"), ((bool)journey["deceased"]!, (string)journey["diedOn"]!));
        var events = (await system.JourneyClient.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>($"/patients/{seed.PatientId}/events"))!;
        var navigation = events.Where(e => (string)e!["type"]! is "OutsideResultRecorded" or "SurveillancePlanEnded" or "PatientDied").ToList();
        Assert.Equal(3, navigation.Count);
        Assert.All(navigation, e => Assert.Equal("nurse.navigator", (string)e!["recordedBy"]!));
        await page.GotoAsync(served.BaseUrl + "/");
        await Assertions.Expect(page.Locator("h1")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator($"tr[data-patient='{seed.PatientId}']")).ToHaveCountAsync(0);
    }
}

/// <summary>A patient's own surveillance interval, overridden on her page in chromium, on a system of its own (the seed case's schedule changes).</summary>
public class DashboardOverrideBrowserTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    [Fact]
    public async Task A_navigator_overrides_the_CT_interval_on_the_patient_page_sees_an_interval_out_of_range_named_beside_its_field_then_the_override_in_force()
    {
        var seed = await system.LoadSeedCaseAsync();
        await using var served = await DashboardBrowserTests.ServedDashboard.StartAsync(system);
        var page = await served.SignedInPageAsync(Roles.Navigator, "nurse.navigator", $"/patients/{seed.PatientId}");
        var form = page.Locator("#patient-override");
        var button = form.GetByRole(AriaRole.Button, new() { Name = "Override an interval" });

        // 0 months: the diagnosis department's range, beside the interval.
        await form.GetByLabel("Kind").SelectOptionAsync("ct");
        await form.GetByLabel("Every (months)").FillAsync("0");
        await form.GetByLabel("Reason").FillAsync("contrast CT every 6 months: reduced renal function");
        await button.ClickAsync();
        await Assertions.Expect(page.Locator("#patient-override-intervalMonths-error")).ToContainTextAsync("between 1 and 120");
        await Assertions.Expect(form.GetByLabel("Every (months)")).ToHaveAttributeAsync("aria-invalid", "true");

        await form.GetByLabel("Every (months)").FillAsync("6");
        await button.ClickAsync();
        await Assertions.Expect(page.Locator("[data-recorded]")).ToHaveTextAsync("Recorded: Override an interval.");
        // The page follows the journey live: the override shows in force on the schedule, and sets the open CT's due date.
        await Assertions.Expect(page.Locator("[data-override='ct']")).ToContainTextAsync("ct every 6 months since", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("[data-override='ct']")).ToContainTextAsync("reduced renal function");
        await Assertions.Expect(page.Locator("tr[data-kind='ct'] [data-overridden-by]")).ToHaveTextAsync("overridden: every 6 months");
    }
}
