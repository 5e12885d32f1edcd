using PatientJourney.Chaos;
using Xunit.Abstractions;

namespace PatientJourney.IntegrationTests;

/// <summary>
/// The chaos run in its short form (./chaos.sh runs 20,000 events). It restarts PostgreSQL and RabbitMQ, so it runs
/// alone, after the tests that run in parallel.
/// </summary>
[Collection(nameof(BrokerOutage))]
public class ChaosTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Through_kill_9_of_every_service_and_restarts_of_RabbitMQ_and_PostgreSQL_every_accepted_event_is_in_the_journey_exactly_once()
    {
        using var log = new StringWriter();
        var summary = await ChaosRun.RunAsync(new ChaosOptions { Events = 2_000, Concurrency = 24, Seed = 20261128, FaultIntervalSeconds = 2, Log = log });
        output.WriteLine(log.ToString());
        output.WriteLine(summary.ToString());

        Assert.Equal(2_000, summary.EventsAccepted);
        Assert.Equal(0, summary.Lost);
        Assert.Equal(0, summary.Duplicates);
        Assert.Equal(0, summary.Unexpected);
        Assert.Equal(0, summary.Refused);
        Assert.Equal(summary.EventsAccepted, summary.Delivered);
        Assert.True(summary.ProjectionsEqualRebuild, "the journey's read models differ from a rebuild from its events");
        Assert.Equal(0, summary.ChainsAltered);
        // Every kind of fault happened: each service killed, RabbitMQ and PostgreSQL restarted.
        Assert.Equal(7, summary.Faults.Count);
        Assert.All(summary.Faults, f => Assert.True(f.Value > 0, $"{f.Key} never happened"));
    }
}
