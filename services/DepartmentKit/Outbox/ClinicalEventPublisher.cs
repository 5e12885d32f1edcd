using System.Diagnostics;
using JasperFx.Events;
using MassTransit;
using PatientJourney.Contracts;
using PatientJourney.Hosting.Telemetry;
using PatientJourney.StoreAndBus.EventStore;
using PatientJourney.StoreAndBus.Messaging;

namespace PatientJourney.DepartmentKit.Outbox;

/// <summary>
/// Publishes a department's stored events, as its outbox and the replay tool both do: confirmed by the broker,
/// mandatory (unroutable fails instead of dropping a fact), under message ids that a retried page repeats.
/// </summary>
public static class ClinicalEventPublisher
{
    public const string SpanName = "outbox publish";

    /// <summary>
    /// Publishes the clinical events of a page of a department's store and waits for every confirm. When traced, each
    /// message's publish continues the trace its first event was stored with, linked to its other events' traces
    /// (EventTraceContext); MassTransit's send headers carry it on to the journey.
    /// </summary>
    public static Task PublishAsync(IPublishEndpoint bus, IEnumerable<IEvent> stored, BusMessages messages, CancellationToken ct)
    {
        var page = stored as IReadOnlyList<IEvent> ?? stored.ToList();
        var traces = PatientJourneyTelemetry.Source.HasListeners() ? page.ToDictionary(e => e.Id, EventTraceContext.Of) : null;
        return PublishAsync(bus, ClinicalOf(page), messages, ct, traces);
    }

    /// <summary>The clinical events of stored ones, with their ids (Marten's tombstones and anything else left out).</summary>
    public static IReadOnlyList<(Guid Id, ClinicalEvent Event)> ClinicalOf(IEnumerable<IEvent> stored) =>
        stored.Where(e => e.Data is ClinicalEvent).Select(e => (e.Id, (ClinicalEvent)e.Data)).ToList();

    /// <summary>Publishes the events (any mix of departments, each to its own department's message) and waits for every confirm.</summary>
    public static Task PublishAsync(IPublishEndpoint bus, IReadOnlyList<(Guid Id, ClinicalEvent Event)> events, BusMessages messages, CancellationToken ct,
        IReadOnlyDictionary<Guid, ActivityContext>? traces = null) =>
        // All publishes are in flight together; one awaited publish at a time caps out near 1k/s.
        Task.WhenAll(MessagesOf(events, messages).Select(m => traces is null
            ? bus.Publish(m.Message, m.Message.GetType(), Mandatory(m.MessageId), ct)
            : PublishTraced(bus, m, traces, ct)).ToList());

    private static Task PublishTraced(IPublishEndpoint bus, (object Message, Guid MessageId, IReadOnlyList<Guid> EventIds) m,
        IReadOnlyDictionary<Guid, ActivityContext> traces, CancellationToken ct)
    {
        var current = Activity.Current;
        var span = PatientJourneyTelemetry.StartBatch(SpanName, ActivityKind.Internal, m.EventIds.Select(id => traces.GetValueOrDefault(id)));
        try
        {
            span?.SetTag("patientjourney.message.events", m.EventIds.Count);
            var published = bus.Publish(m.Message, m.Message.GetType(), Mandatory(m.MessageId), ct);
            return span is null ? published : EndWhenConfirmed(published, span);
        }
        finally
        {
            Activity.Current = current; // the next message's span is not a child of this one
        }
    }

    private static async Task EndWhenConfirmed(Task published, Activity span)
    {
        try
        {
            await published;
        }
        catch (Exception ex)
        {
            span.SetStatus(ActivityStatusCode.Error);
            span.SetTag("error.type", ex.GetType().FullName);
            throw;
        }
        finally
        {
            span.Dispose();
        }
    }

    /// <summary>
    /// The messages for these events: one per event under the event's id, or one batch per department and
    /// <see cref="ContractBatches.MaxEvents"/> events under its first event's id, so a retried page sends the same message ids again.
    /// </summary>
    public static IEnumerable<(object Message, Guid MessageId, IReadOnlyList<Guid> EventIds)> MessagesOf(IReadOnlyList<(Guid Id, ClinicalEvent Event)> events, BusMessages messages) =>
        messages == BusMessages.Events
            ? events.Select(e => ((object)e.Event, e.Id, (IReadOnlyList<Guid>)[e.Id]))
            : events.GroupBy(e => e.Event.Department).SelectMany(department => department.Chunk(ContractBatches.MaxEvents)
                .Select(chunk => (ContractBatches.Of(department.Key, chunk.Select(e => e.Event).ToArray()), chunk[0].Id, (IReadOnlyList<Guid>)chunk.Select(e => e.Id).ToArray())));

    // Unroutable (no queue bound yet, e.g. the journey has never run) fails the publish instead of dropping the events;
    // the page is then retried until a consumer's queue exists.
    private static IPipe<PublishContext> Mandatory(Guid messageId) => Pipe.Execute<PublishContext>(ctx =>
    {
        ctx.MessageId = messageId;
        ctx.Mandatory = true;
    });
}
