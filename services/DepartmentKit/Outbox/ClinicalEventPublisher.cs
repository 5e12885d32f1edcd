using JasperFx.Events;
using MassTransit;
using PatientJourney.Contracts;
using PatientJourney.StoreAndBus.Messaging;

namespace PatientJourney.DepartmentKit.Outbox;

/// <summary>
/// Publishes a department's stored events, as its outbox and the replay tool both do: confirmed by the broker,
/// mandatory (unroutable fails instead of dropping a fact), under message ids that a retried page repeats.
/// </summary>
public static class ClinicalEventPublisher
{
    /// <summary>Publishes the clinical events of a page of a department's store and waits for every confirm.</summary>
    public static Task PublishAsync(IPublishEndpoint bus, IEnumerable<IEvent> stored, BusMessages messages, CancellationToken ct) =>
        PublishAsync(bus, ClinicalOf(stored), messages, ct);

    /// <summary>The clinical events of stored ones, with their ids (Marten's tombstones and anything else left out).</summary>
    public static IReadOnlyList<(Guid Id, ClinicalEvent Event)> ClinicalOf(IEnumerable<IEvent> stored) =>
        stored.Where(e => e.Data is ClinicalEvent).Select(e => (e.Id, (ClinicalEvent)e.Data)).ToList();

    /// <summary>Publishes the events (any mix of departments, each to its own department's message) and waits for every confirm.</summary>
    public static Task PublishAsync(IPublishEndpoint bus, IReadOnlyList<(Guid Id, ClinicalEvent Event)> events, BusMessages messages, CancellationToken ct) =>
        // All publishes are in flight together; one awaited publish at a time caps out near 1k/s.
        Task.WhenAll(MessagesOf(events, messages).Select(m => bus.Publish(m.Message, m.Message.GetType(), Mandatory(m.MessageId), ct)).ToList());

    /// <summary>
    /// The messages for these events: one per event under the event's id, or one batch per department and
    /// <see cref="ContractBatches.MaxEvents"/> events under its first event's id, so a retried page sends the same message ids again.
    /// </summary>
    public static IEnumerable<(object Message, Guid MessageId)> MessagesOf(IReadOnlyList<(Guid Id, ClinicalEvent Event)> events, BusMessages messages) =>
        messages == BusMessages.Events
            ? events.Select(e => ((object)e.Event, e.Id))
            : events.GroupBy(e => e.Event.Department).SelectMany(department => department.Chunk(ContractBatches.MaxEvents)
                .Select(chunk => (ContractBatches.Of(department.Key, chunk.Select(e => e.Event).ToArray()), chunk[0].Id)));

    // Unroutable (no queue bound yet, e.g. the journey has never run) fails the publish instead of dropping the events;
    // the page is then retried until a consumer's queue exists.
    private static IPipe<PublishContext> Mandatory(Guid messageId) => Pipe.Execute<PublishContext>(ctx =>
    {
        ctx.MessageId = messageId;
        ctx.Mandatory = true;
    });
}
