using Microsoft.Playwright;
using PatientJourney.Hosting.Security;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Dashboard;

/// <summary>
/// A department user's correction in Debian's chromium, on a system of its own (the seed case's journey changes):
/// retracted with the mouse on the patient page, answered in place, and the fact struck through with the reason, live.
/// </summary>
public class DashboardCorrectionsBrowserTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    [Fact]
    public async Task An_imaging_user_retracts_a_scan_with_the_mouse_and_sees_it_struck_through_with_the_reason_and_a_clinician_sees_it_so_with_no_forms()
    {
        var seed = await system.LoadSeedCaseAsync();
        await using var served = await DashboardBrowserTests.ServedDashboard.StartAsync(system);
        var page = await served.SignedInPageAsync([Roles.Clinician, Roles.Department("imaging")], "dr.imaging", $"/patients/{seed.PatientId}");

        // Only her department's facts have forms: none in the other lanes.
        await Assertions.Expect(page.Locator("section[data-lane='chemotherapy'] details.correct")).ToHaveCountAsync(0);
        var entry = page.Locator("section[data-lane='imaging'] li:has(details.correct)").First;
        var eventId = await entry.GetAttributeAsync("data-event");
        await page.EvaluateAsync("window.__notReloaded = true");

        // No reason: the department names the field, beside it.
        await entry.Locator("summary").ClickAsync();
        await entry.GetByRole(AriaRole.Button, new() { Name = "Retract" }).ClickAsync();
        var reasonError = entry.Locator("form[data-action='retract'] [data-error-for='reason']");
        await Assertions.Expect(reasonError).Not.ToBeEmptyAsync();
        await Assertions.Expect(entry.Locator("form[data-action='retract'] input[name='reason']")).ToHaveAttributeAsync("aria-invalid", "true");

        await entry.Locator("form[data-action='retract']").GetByLabel("Reason").FillAsync("scan of another patient");
        await entry.GetByRole(AriaRole.Button, new() { Name = "Retract" }).ClickAsync();

        // Live: the journey has it, the page swaps its content in place (no reload), the scan struck through and said so.
        var corrected = page.Locator($"li[data-event='{eventId}'][data-corrected='retracted']");
        await Assertions.Expect(corrected.Locator("del")).ToHaveCountAsync(1);
        await Assertions.Expect(corrected.Locator(".correction")).ToContainTextAsync("Retracted by dr.imaging on");
        await Assertions.Expect(corrected.Locator(".correction")).ToContainTextAsync("scan of another patient");
        await Assertions.Expect(corrected.Locator("details.correct")).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>("window.__notReloaded === true"), "the page was reloaded");

        var clinician = await served.SignedInPageAsync(Roles.Clinician, "oncologist", $"/patients/{seed.PatientId}");
        var seen = clinician.Locator($"li[data-event='{eventId}'][data-corrected='retracted']");
        await Assertions.Expect(seen.Locator("del")).ToHaveCountAsync(1);
        await Assertions.Expect(seen.Locator(".correction")).ToContainTextAsync("scan of another patient");
        await Assertions.Expect(clinician.Locator("form[data-action]")).ToHaveCountAsync(0);
        await Assertions.Expect(clinician.Locator("details.correct")).ToHaveCountAsync(0);
    }
}
