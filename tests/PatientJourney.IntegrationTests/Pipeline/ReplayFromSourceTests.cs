using PatientJourney.StoreAndBus;
using PatientJourney.StoreAndBus.Messaging;
using PatientJourney.DepartmentKit.Outbox;
using PatientJourney.Contracts;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.Journey;

namespace PatientJourney.IntegrationTests.Pipeline;

public class ReplayFromSourceTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    [Fact]
    public async Task Replaying_every_department_store_into_an_empty_journey_yields_the_live_journey()
    {
        var seed = await system.LoadSeedCaseAsync(s => s.InterleavedAcrossDepartments(new Random(11)));
        for (var p = 0; p < 3; p++)
        {
            await system.PostAsync("imaging", $"/patients/SRC-{p}/ct", new { performedOn = "2021-03-01", region = "chest", targetLesions = Array.Empty<object>() });
            await system.PostAsync("diagnosis", $"/patients/SRC-{p}/surveillance-plans", new { startsOn = "2021-01-15", protocol = "ct-q3m-visits-q1m" });
        }
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync("SRC-2") == 2 && await system.JourneyEntryCountAsync("SRC-0") == 2, "the live journey complete");
        var live = await ReadModelSnapshot.TakeAsync(system.Isolation.ConnectionString);

        // An empty journey database and vhost of its own, fed only from the departments' stores.
        await using var target = await Isolation.CreateAsync();
        await using var replayed = new ServiceHost<JourneyService>(target);
        using var client = replayed.CreateClient();
        await Eventually.HoldsAsync(() => Task.FromResult(replayed.BusIsReady()), "replay journey bus ready");

        var published = await SourceReplay.ReplayAsync(system.Isolation.ConnectionString, Departments.All,
            d => BrokerAccounts.ActingAs(target.RabbitMq, Isolation.Secrets, d));
        Assert.Equal(seed.JourneyEventCount + 6, published);

        await Eventually.HoldsAsync(async () => await ReadModelSnapshot.TakeAsync(target.ConnectionString) == live, "the replayed journey equals the live one");
    }
}
