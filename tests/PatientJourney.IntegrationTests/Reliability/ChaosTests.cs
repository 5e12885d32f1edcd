using PatientJourney.Chaos;
using Xunit.Abstractions;

namespace PatientJourney.IntegrationTests.Reliability;

/// <summary>
/// The chaos run in its short form (./chaos.sh runs 20,000 events). It restarts PostgreSQL and RabbitMQ, so it runs
/// alone, after the tests that run in parallel.
/// </summary>
[Collection(ExclusiveBroker.Name)] // kills the services, restarts RabbitMQ and PostgreSQL
public class ChaosTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Through_kill_9_of_every_service_and_restarts_of_RabbitMQ_and_PostgreSQL_every_accepted_event_is_in_the_journey_exactly_once()
    {
        using var log = new StringWriter();
        var summary = await ChaosRun.RunAsync(new ChaosOptions { Events = 2_000, Concurrency = 24, Seed = 20261128, FaultIntervalSeconds = 2, Log = log });
        output.WriteLine(log.ToString());
        output.WriteLine(summary.ToString());

        AssertEveryEventOnceInTheJourney(2_000, summary);
        // Every kind of fault happened: each service killed, RabbitMQ and PostgreSQL restarted.
        Assert.Equal(7, summary.Faults.Count);
        Assert.All(summary.Faults, f => Assert.True(f.Value > 0, $"{f.Key} never happened"));
    }

    [Fact]
    public async Task With_the_four_departments_in_one_process_killed_together_every_accepted_event_is_in_the_journey_exactly_once()
    {
        using var log = new StringWriter();
        var summary = await ChaosRun.RunAsync(new ChaosOptions
        {
            Events = 1_000, Concurrency = 24, Seed = 20261205, FaultIntervalSeconds = 2, DepartmentsInOneProcess = true, Log = log,
        });
        output.WriteLine(log.ToString());
        output.WriteLine(summary.ToString());

        AssertEveryEventOnceInTheJourney(1_000, summary);
        // The departments' host was killed as one (no department alone), and so were the journey, RabbitMQ and PostgreSQL.
        Assert.Equal(["kill -9 departments", "kill -9 journey", "restart postgresql", "restart rabbitmq"], summary.Faults.Keys.Order());
        Assert.All(summary.Faults, f => Assert.True(f.Value > 0, $"{f.Key} never happened"));
    }

    private static void AssertEveryEventOnceInTheJourney(int events, ChaosSummary summary)
    {
        Assert.Equal(events, summary.EventsAccepted);
        Assert.Equal(0, summary.Lost);
        Assert.Equal(0, summary.Duplicates);
        Assert.Equal(0, summary.Unexpected);
        Assert.Equal(0, summary.Refused);
        Assert.Equal(summary.EventsAccepted, summary.Delivered);
        Assert.True(summary.ProjectionsEqualRebuild, "the journey's read models differ from a rebuild from its events");
        Assert.Equal(0, summary.ChainsAltered);
    }
}
