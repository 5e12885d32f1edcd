using System.Net;
using System.Net.Http.Json;
using PatientJourney.SeedLoader;

namespace PatientJourney.IntegrationTests.Infrastructure;

/// <summary>
/// The seed case, an adverse event, the navigation facts, an echocardiogram, a correction at each department (an amendment, retractions) and
/// a merge: between them every event type the contract still publishes.
/// </summary>
public static class EveryEventType
{
    /// <summary>
    /// The facts posted besides the seed case, each one entry of the journey (a retracted one too). The seed patient's
    /// record is merged last into a second record of the same person (PatientsMerged, on the seed's stream): its journey is
    /// then the survivor's, where its old number leads, with the survivor's registration and the merge besides.
    /// </summary>
    public const int FactsBesidesTheSeedCase = 14;

    /// <summary>The record the seed patient's is merged into: where its journey is read from then.</summary>
    public static string SurvivorOf(SeedCase seed) => $"{seed.PatientId}-KEPT";

    public static async Task<SeedCase> PostAsync(PatientJourneySystem system)
    {
        var seed = await system.LoadSeedCaseAsync();
        var adverseEvent = await AcceptedAsync(system, "chemotherapy", $"/patients/{seed.PatientId}/adverse-events",
            new { occurredOn = "2011-02-01", term = "febrile neutropenia", grade = 3 });
        var inAWeek = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(7);
        var navigation = new Dictionary<string, Guid>();
        foreach (var (path, body) in new (string, object)[]
                 {
                     ("navigator", new { navigator = "nurse.navigator" }),
                     ("appointments", new { kind = "ct", scheduledOn = inAWeek, location = "CT 2" }),
                     ("deferrals", new { kind = "clinic-visit", until = inAWeek, reason = "patient abroad" }),
                     ("surveillance-overrides", new { kind = "echocardiogram", intervalMonths = 12, reason = "asked by cardio-oncology" }),
                     ("outside-results", new { kind = "ct", performedOn = "2012-04-20", facility = "Regional Hospital", summary = "stable" }),
                     ("surveillance-plans/end", new { endedOn = "2013-01-24", reason = "completed" }),
                     ("death", new { diedOn = "2014-01-01" }),
                 })
            navigation[path] = await AcceptedAsync(system, "diagnosis", $"/patients/{seed.PatientId}/{path}", body);

        // Corrections: an amendment, then a retraction at each department (of facts that nothing else stands on).
        var amended = await AcceptedAsync(system, "chemotherapy", $"/patients/{seed.PatientId}/events/{adverseEvent}/amend",
            new { reason = "graded again", body = new { occurredOn = "2011-02-01", term = "febrile neutropenia", grade = 4 } });
        var rfa = await AcceptedAsync(system, "interventional", $"/patients/{seed.PatientId}/rfa",
            new { performedOn = "2012-09-18", target = "node", technicalSuccess = true, complications = Array.Empty<object>() });
        await AcceptedAsync(system, "imaging", $"/patients/{seed.PatientId}/echocardiograms", new { performedOn = "2012-09-25", lvefPercent = 58, globalLongitudinalStrainPercent = -19.5 });
        var ct = await AcceptedAsync(system, "imaging", $"/patients/{seed.PatientId}/ct", new { performedOn = "2012-09-20", region = "chest", targetLesions = Array.Empty<object>() });
        foreach (var (department, id) in new[] { ("chemotherapy", amended), ("interventional", rfa), ("imaging", ct), ("diagnosis", navigation["deferrals"]) })
            await AcceptedAsync(system, department, $"/patients/{seed.PatientId}/events/{id}/retract", new { reason = "entered in error" });
        var survivor = SurvivorOf(seed);
        await AcceptedAsync(system, "diagnosis", "/patients", new { patientId = survivor, sex = "female", birthDate = "1963-05-20" });
        await AcceptedAsync(system, "diagnosis", $"/patients/{seed.PatientId}/merge", new { into = survivor, reason = "the same person registered twice" });
        return seed;
    }

    private static async Task<Guid> AcceptedAsync(PatientJourneySystem system, string department, string path, object body)
    {
        using var response = await system.PostAsync(department, path, body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{path}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["eventId"]!.GetValue<Guid>();
    }
}
