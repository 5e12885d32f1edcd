using MassTransit;
using PatientJourney.Hosting;
using PatientJourney.StoreAndBus;
using PatientJourney.StoreAndBus.Messaging;
using PatientJourney.Contracts;

namespace PatientJourney.Journey.Recording;

/// <summary>One consumer per contract event type (contract v1), all on the journey's queue.</summary>
public sealed class ClinicalEventConsumer<TEvent>(JourneyRecorder recorder) : IConsumer<TEvent> where TEvent : ClinicalEvent
{
    public Task Consume(ConsumeContext<TEvent> context)
    {
        // An envelope without its message deserializes to null; retrying cannot fill it in.
        if (context.Message is null) throw new InvalidClinicalEventException("the envelope holds no message");
        Senders.Check(context, ContractEvents.DepartmentOf(typeof(TEvent)), typeof(TEvent).Name);
        return recorder.RecordAsync(context.Message, context.CancellationToken);
    }
}

/// <summary>
/// One consumer per department's batch (contract v2), on the same queue. A batch is acknowledged once every event of
/// it is recorded (or was already); a batch holding anything invalid is refused whole, before any of it is recorded.
/// Its events are written by the writers of their patients: if the store fails past the retries, the batch is
/// dead-lettered with part of it possibly recorded, and re-driving it records the rest (events are kept once by id).
/// </summary>
public sealed class ClinicalEventBatchConsumer<TBatch, TEvent>(JourneyRecorder recorder) : IConsumer<TBatch>
    where TBatch : ClinicalEventBatch<TEvent> where TEvent : ClinicalEvent
{
    public Task Consume(ConsumeContext<TBatch> context)
    {
        var events = context.Message?.Events;
        if (events is null || events.Count == 0 || events.Any(e => e is null)) throw new InvalidClinicalEventException("the envelope holds no batch of events");
        Senders.Check(context, ContractBatches.DepartmentOf(typeof(TBatch)), typeof(TBatch).Name);
        return recorder.RecordAsync(events, context.CancellationToken);
    }
}

/// <summary>
/// Each department's batches (up to 50 events each) consumed this many at a time (<c>Journey:BatchesInHand</c>). More
/// in hand makes the writers' batches larger and holds more of each patient's events in one of them, at the cost of the
/// journey's memory (64 in hand measured no better than 32: docs/benchmarks-history.md).
/// </summary>
public sealed class ClinicalEventBatchConsumerDefinition<TBatch, TEvent> : ConsumerDefinition<ClinicalEventBatchConsumer<TBatch, TEvent>>
    where TBatch : ClinicalEventBatch<TEvent> where TEvent : ClinicalEvent
{
    public const int DefaultBatchesInHand = 32;

    public ClinicalEventBatchConsumerDefinition(IConfiguration configuration) =>
        ConcurrentMessageLimit = configuration.GetValue<int?>("Journey:BatchesInHand") ?? DefaultBatchesInHand;
}

internal static class Senders
{
    /// <summary>
    /// Only the department that owns an event type (or batch) may send it: the broker-validated user_id must be that
    /// department's user. Anything else (another department, no user_id) goes to the error queue unrecorded.
    /// </summary>
    public static void Check(ConsumeContext context, string owner, string what)
    {
        var sender = context.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit) ? rabbit.Properties.UserId : null;
        if (BrokerAccounts.DepartmentOfUser(sender) != owner)
            throw new InvalidClinicalEventException(
                $"{what} is recorded only by the {owner} department; this one was sent by {(string.IsNullOrEmpty(sender) ? "an unidentified sender" : sender)}");
    }
}
