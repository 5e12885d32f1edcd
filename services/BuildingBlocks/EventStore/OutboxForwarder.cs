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
/// the broker confirmed every message of the page (batches, or one message per event: Bus:Messages); a failure leaves progress where it was and the daemon
/// retries the page, so delivery is at-least-once and the journey de-duplicates by eventId.
/// </summary>
public sealed partial class OutboxForwarder : SubscriptionBase
{
    private readonly IBus _bus;
    private readonly ILogger<OutboxForwarder> _logger;
    private readonly BusMessages _messages;

    public OutboxForwarder(IBus bus, ILogger<OutboxForwarder> logger, InfrastructureSettings settings)
    {
        _bus = bus;
        _logger = logger;
        _messages = settings.BusMessages;
        Name = "OutboxForwarder";
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        try
        {
            await ClinicalEventPublisher.PublishAsync(_bus, page.Events, _messages, cancellationToken);
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
