using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;
using Microsoft.Extensions.Logging;
using PatientJourney.Contracts;

namespace PatientJourney.BuildingBlocks.EventStore;

/// <summary>
/// The outbox: the department's own event store is the record of what was accepted, and this
/// subscription publishes it. Marten advances its progress only when this method returns, i.e. after
/// the broker confirmed every publish of the page; a failure leaves progress where it was and the daemon
/// retries the page, so delivery is at-least-once and the journey de-duplicates by eventId.
/// </summary>
public sealed partial class OutboxForwarder : SubscriptionBase
{
    private readonly IBus _bus;
    private readonly ILogger<OutboxForwarder> _logger;

    public OutboxForwarder(IBus bus, ILogger<OutboxForwarder> logger)
    {
        _bus = bus;
        _logger = logger;
        Name = "OutboxForwarder";
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        // All publishes of a page are in flight together; one awaited publish at a time caps out near 1k/s.
        var publishes = new List<Task>(page.Events.Count);
        foreach (var e in page.Events)
        {
            if (e.Data is not ClinicalEvent clinical) continue;
            publishes.Add(_bus.Publish(clinical, e.EventType, Pipe.Execute<PublishContext>(ctx =>
            {
                ctx.MessageId = e.Id;
                // Unroutable (no queue bound yet, e.g. the journey has never run) fails the publish instead of
                // dropping the event; the page is then retried until a consumer's queue exists.
                ctx.Mandatory = true;
            }), cancellationToken));
        }

        try
        {
            await Task.WhenAll(publishes);
        }
        catch (Exception ex)
        {
            LogPublishFailed(_logger, page.Events.Count, page.SequenceFloor, ex.GetType().Name);
            throw;
        }

        return NullChangeListener.Instance;
    }

    [LoggerMessage(LogLevel.Warning, "Outbox page of {Count} events from sequence {Floor} not confirmed by the broker ({Error}); it will be retried")]
    private static partial void LogPublishFailed(ILogger logger, int count, long floor, string error);
}
