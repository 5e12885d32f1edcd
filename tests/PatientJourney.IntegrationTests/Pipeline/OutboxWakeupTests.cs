using Marten;
using PatientJourney.StoreAndBus.EventStore;
using PatientJourney.DepartmentKit;
using PatientJourney.DepartmentKit.Outbox;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;

namespace PatientJourney.IntegrationTests.Pipeline;

public class OutboxWakeupTests
{
    [Fact]
    public async Task A_commit_that_appends_events_wakes_the_outbox_once_and_one_that_appends_none_does_not()
    {
        await using var isolation = await Isolation.CreateAsync();
        var wakeup = new OutboxWakeup();
        using var store = DocumentStore.For(opts =>
        {
            opts.ConfigureClinicalEventStore(isolation.ConnectionString, Departments.Diagnosis);
            opts.Schema.For<IdempotentRequest>();
            opts.Listeners.Add(wakeup);
        });

        await using (var session = store.LightweightSession())
        {
            session.Store(new IdempotentRequest { Id = "k", EventId = Guid.NewGuid(), PatientId = "WAKE-1", Type = "none" });
            await session.SaveChangesAsync();
        }
        Assert.False(await wakeup.WaitAsync(TimeSpan.Zero, default));

        // Two commits before the daemon looks: one wake-up covers both (its poll reads everything committed).
        for (var i = 0; i < 2; i++)
        {
            await using var session = store.LightweightSession();
            session.Events.Append($"WAKE-{i}", new ClinicVisitRecorded { PatientId = $"WAKE-{i}", OccurredOn = new DateOnly(2012, 1, 1), EventId = Guid.NewGuid() });
            await session.SaveChangesAsync();
        }
        Assert.True(await wakeup.WaitAsync(TimeSpan.Zero, default));
        Assert.False(await wakeup.WaitAsync(TimeSpan.Zero, default));

        // Without a commit the daemon waits its safety-net poll interval out.
        Assert.False(await wakeup.WaitAsync(TimeSpan.FromMilliseconds(50), default));
    }

    [Fact]
    public async Task A_woken_outbox_gathers_for_its_set_time_before_it_polls_and_a_quiet_one_does_not_wait_longer()
    {
        var gather = TimeSpan.FromMilliseconds(200);
        var wakeup = new OutboxWakeup(gather: gather);
        JasperFx.Events.Daemon.HighWater.IDaemonWakeup daemon = wakeup;

        wakeup.Committed(1);
        var woken = System.Diagnostics.Stopwatch.StartNew();
        await daemon.WaitAsync(TimeSpan.FromSeconds(30), default);
        Assert.True(woken.Elapsed >= gather - TimeSpan.FromMilliseconds(20), $"returned after {woken.Elapsed.TotalMilliseconds:F0} ms");

        // Nothing committed: the poll interval alone, no gather on top of it (the interval is far shorter than the gather).
        var quiet = System.Diagnostics.Stopwatch.StartNew();
        await daemon.WaitAsync(TimeSpan.FromMilliseconds(1), default);
        Assert.True(quiet.Elapsed < gather, $"returned after {quiet.Elapsed.TotalMilliseconds:F0} ms");
    }
}
