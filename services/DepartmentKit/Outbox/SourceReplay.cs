using Marten;
using MassTransit;
using PatientJourney.StoreAndBus.EventStore;
using PatientJourney.StoreAndBus.Messaging;

namespace PatientJourney.DepartmentKit.Outbox;

/// <summary>
/// Re-drives every department's own event store through the bus, in each store's sequence order, exactly as the
/// outbox publishes it (ClinicalEventPublisher: same message ids, publisher confirms, mandatory): a new, empty journey fed this way
/// rebuilds itself from the sources of truth.
/// </summary>
public static class SourceReplay
{
    public static async Task<int> ReplayAsync(
        string connectionString, IEnumerable<string> departments, Func<string, RabbitMqSettings> departmentConnection,
        BusMessages messages = BusMessages.Batches, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        var published = 0;
        foreach (var department in departments)
        {
            // Each department's events go out as that department's broker user, as its outbox sends them.
            var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg => PatientJourney.StoreAndBus.Messaging.Bus.ConfigureBroker(cfg, departmentConnection(department)));
            await bus.StartAsync(ct);
            try
            {
                using var store = DocumentStore.For(opts => opts.ConfigureClinicalEventStore(connectionString, department));
                long after = 0;
                while (true)
                {
                    await using var session = store.QuerySession();
                    var page = await session.Events.QueryAllRawEvents().Where(e => e.Sequence > after).OrderBy(e => e.Sequence).Take(500).ToListAsync(ct);
                    if (page.Count == 0) break;
                    var events = ClinicalEventPublisher.ClinicalOf(page);
                    await ClinicalEventPublisher.PublishAsync(bus, events, messages, ct);
                    published += events.Count;
                    after = page[^1].Sequence;
                    progress?.Report(published);
                }
            }
            finally
            {
                await bus.StopAsync(CancellationToken.None);
            }
        }
        return published;
    }
}
