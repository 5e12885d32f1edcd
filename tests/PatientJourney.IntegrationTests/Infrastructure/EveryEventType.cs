using System.Net;
using PatientJourney.SeedLoader;

namespace PatientJourney.IntegrationTests.Infrastructure;

/// <summary>The seed case, an adverse event, the navigation facts and a merge: between them every event type the contract still publishes.</summary>
public static class EveryEventType
{
    /// <summary>
    /// The facts posted besides the seed case, each one entry of the journey. The seed patient's record is merged last into
    /// a second record of the same person (PatientsMerged, on the seed's stream): its journey is then the survivor's, where
    /// its old number leads, with the survivor's registration and the merge besides.
    /// </summary>
    public const int FactsBesidesTheSeedCase = 9;

    /// <summary>The record the seed patient's is merged into: where its journey is read from then.</summary>
    public static string SurvivorOf(SeedCase seed) => $"{seed.PatientId}-KEPT";

    public static async Task<SeedCase> PostAsync(PatientJourneySystem system)
    {
        var seed = await system.LoadSeedCaseAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await system.PostAsync("chemotherapy", $"/patients/{seed.PatientId}/adverse-events",
            new { occurredOn = "2011-02-01", term = "febrile neutropenia", grade = 3 })).StatusCode);
        var inAWeek = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(7);
        foreach (var (path, body) in new (string, object)[]
                 {
                     ("navigator", new { navigator = "nurse.navigator" }),
                     ("appointments", new { kind = "ct", scheduledOn = inAWeek, location = "CT 2" }),
                     ("deferrals", new { kind = "clinic-visit", until = inAWeek, reason = "patient abroad" }),
                     ("outside-results", new { kind = "ct", performedOn = "2012-04-20", facility = "Regional Hospital", summary = "stable" }),
                     ("surveillance-plans/end", new { endedOn = "2013-01-24", reason = "completed" }),
                     ("death", new { diedOn = "2014-01-01" }),
                 })
            Assert.Equal(HttpStatusCode.Accepted, (await system.PostAsync("diagnosis", $"/patients/{seed.PatientId}/{path}", body)).StatusCode);
        var survivor = SurvivorOf(seed);
        Assert.Equal(HttpStatusCode.Accepted, (await system.PostAsync("diagnosis", "/patients", new { patientId = survivor, sex = "female", birthDate = "1963-05-20" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await system.PostAsync("diagnosis", $"/patients/{seed.PatientId}/merge",
            new { into = survivor, reason = "the same person registered twice" })).StatusCode);
        return seed;
    }
}
