using PatientJourney.Chaos;
using Xunit.Abstractions;

namespace PatientJourney.IntegrationTests.ScaleOut;

/// <summary>
/// The scale-out chaos run in its short form (./chaos.sh --scale-out runs 20,000 events with ten faults of each kind). It
/// runs on a PostgreSQL primary and standby and a RabbitMQ cluster of its own, so nothing shared is killed; it runs alone
/// all the same, for the cores it takes.
/// </summary>
[Collection(ExclusiveBroker.Name)]
public class ScaleOutChaosTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Through_kill_9_of_the_queue_leader_node_a_journey_and_the_outbox_holder_every_accepted_event_is_in_the_journey_once_and_in_order()
    {
        using var log = new StringWriter();
        ScaleOutSummary summary;
        try
        {
            summary = await ScaleOutRun.RunAsync(new ScaleOutOptions { Events = 2_000, Concurrency = 16, Seed = 20261207, FaultsPerKind = 2, Log = log });
        }
        finally
        {
            output.WriteLine(log.ToString());
        }
        output.WriteLine(summary.ToString());

        Assert.Equal(2_000, summary.EventsAccepted);
        Assert.Equal(0, summary.Lost);
        Assert.Equal(0, summary.Duplicates);
        Assert.Equal(0, summary.Unexpected);
        Assert.Equal(0, summary.Refused);
        Assert.Equal(0, summary.PatientsOutOfOrder);
        Assert.True(summary.ReplicaEqualsPrimary, "the standby's read models differ from the primary's");
        Assert.True(summary.ProjectionsEqualRebuild, "the journey's read models differ from a rebuild from its events");
        Assert.Equal(0, summary.ChainsAltered);
        // Every kind struck as often as asked, and each was taken over.
        Assert.Equal([ScaleOutRun.JourneyInstance, ScaleOutRun.OutboxHolder, ScaleOutRun.RabbitLeader], summary.TakeoverSeconds.Keys.Order());
        Assert.All(summary.TakeoverSeconds, t => Assert.Equal(2, t.Value.Count));
        Assert.All(summary.TakeoverSeconds.Values.SelectMany(t => t), s => Assert.True(s < 120, $"a takeover took {s:F1} s"));
    }
}
