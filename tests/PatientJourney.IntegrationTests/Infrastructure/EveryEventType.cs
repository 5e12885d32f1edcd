using System.Net;
using PatientJourney.SeedLoader;

namespace PatientJourney.IntegrationTests.Infrastructure;

/// <summary>The seed case, an adverse event and the navigation facts: between them every event type the contract still publishes.</summary>
public static class EveryEventType
{
    /// <summary>The facts posted besides the seed case, each one entry of the journey.</summary>
    public const int FactsBesidesTheSeedCase = 7;

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
        return seed;
    }
}
