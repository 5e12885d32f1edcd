using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;
using Microsoft.Extensions.Logging;
using PatientJourney.StoreAndBus;
using PatientJourney.StoreAndBus.Messaging;

namespace PatientJourney.DepartmentKit.Outbox;

/// <summary>
/// The outbox: the department's own event store is the record of what was accepted, and this
/// subscription publishes it. Marten advances its progress only when this method returns (with it the page's gaps, OutboxGaps), i.e. after
/// the broker confirmed every message of the page (batches, or one message per event: Bus:Messages); a failure leaves progress where it was and the daemon
/// retries the page, so delivery is at-least-once and the journey de-duplicates by eventId. While the journey is behind
/// (<see cref="JourneyQueueWatch"/>) a page waits, and the door holds new requests meanwhile (<see cref="OutboxBacklog"/>).
/// </summary>
public sealed partial class OutboxForwarder : SubscriptionBase
{
    private readonly IBus _bus;
    private readonly ILogger<OutboxForwarder> _logger;
    private readonly BusMessages _messages;
    private readonly OutboxBacklog _backlog;
    private readonly JourneyQueueWatch _journey;
    // The journey takes a batch message in a few milliseconds: its queue has room again soon.
    private static readonly TimeSpan HeldPause = TimeSpan.FromMilliseconds(20);

    public OutboxForwarder(IBus bus, ILogger<OutboxForwarder> logger, InfrastructureSettings settings, OutboxBacklog backlog, JourneyQueueWatch journey)
    {
        _journey = journey;
        _bus = bus;
        _backlog = backlog;
        _logger = logger;
        _messages = settings.BusMessages;
        Name = "OutboxForwarder";
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        try
        {
            // Asked beside the publish, so that the page does not wait for the answer; a journey behind delays the next page.
            var behind = _journey.IsBehindAsync(cancellationToken);
            await ClinicalEventPublisher.PublishAsync(_bus, page.Events, _messages, cancellationToken);
            _backlog.Confirmed(page.SequenceCeiling);
            OutboxGaps.Record(operations, page);
            if (_logger.IsEnabled(LogLevel.Debug))
                LogForwarded(_logger, page.Events.Count, page.SequenceFloor, page.SequenceCeiling, string.Join(",", page.Events.Select(e => e.Sequence)));
            for (var held = false; await behind; held = true)
            {
                _backlog.JourneyBehind();
                if (!held) LogHeld(_logger, page.Events.Count, page.SequenceFloor, _backlog.Backlog);
                await Task.Delay(HeldPause, cancellationToken);
                behind = _journey.IsBehindAsync(cancellationToken);
            }
        }
        catch (Exception ex)
        {
            LogPublishFailed(_logger, page.Events.Count, page.SequenceFloor, ex.GetType().Name);
            throw;
        }

        return NullChangeListener.Instance;
    }

    [LoggerMessage(LogLevel.Information, "Outbox waits after the page of {Count} events from sequence {Floor}: the journey is behind ({Backlog} events not yet confirmed)")]
    private static partial void LogHeld(ILogger logger, int count, long floor, long backlog);

    [LoggerMessage(LogLevel.Debug, "Outbox page of {Count} events ({Floor}-{Ceiling}) confirmed by the broker: sequences {Sequences}")]
    private static partial void LogForwarded(ILogger logger, int count, long floor, long ceiling, string sequences);

    [LoggerMessage(LogLevel.Warning, "Outbox page of {Count} events from sequence {Floor} not confirmed by the broker ({Error}); it will be retried")]
    private static partial void LogPublishFailed(ILogger logger, int count, long floor, string error);
}
