using JasperFx.Events;
using Marten;
using MassTransit;
using Microsoft.Extensions.Logging;
using PatientJourney.BuildingBlocks;
using PatientJourney.BuildingBlocks.EventStore;
using PatientJourney.BuildingBlocks.Http;
using PatientJourney.Contracts;
using PatientJourney.Journey.Audit;
using PatientJourney.Journey.Projections;
using PatientJourney.Journey.ReadApi;

namespace PatientJourney.Journey.Recording;

/// <summary>A message the journey refuses for good: retrying it cannot help, so it goes to the error queue at once.</summary>
public sealed class InvalidClinicalEventException(string reason) : Exception(reason);

/// <summary>
/// Appends a department's event to the patient's journey stream, once: a redelivered eventId changes nothing.
/// The stream append and the patient's read model commit in one transaction; writers of one patient take turns
/// (a per-patient transaction lock), and the stream version still guards against anything that slips past it.
/// </summary>
public sealed partial class JourneyRecorder(IDocumentStore store, JourneyChanges changes, ILogger<JourneyRecorder> logger)
{
    public async Task<bool> RecordAsync(ClinicalEvent message, CancellationToken ct)
    {
        Check(message);
        await using var session = store.LightweightSession();
        await session.LockStreamAsync(JourneyService.Schema, message.PatientId, ct);
        var stream = await session.Events.FetchStreamAsync(message.PatientId, token: ct);
        if (stream.Any(e => e.Id == message.EventId))
        {
            LogDuplicate(logger, message.EventId, message.Type);
            return false;
        }

        var appended = session.Events.BuildEvent(message);
        appended.Id = message.EventId;
        var version = stream.Count + 1;
        session.Events.Append(message.PatientId, version, appended);

        var events = stream.Select(e => e.Data).OfType<ClinicalEvent>().Append(message);
        PatientReadModels.Write(session, message.PatientId, events, version);
        await EventChain.LinkAsync(session, message, version, ct);
        await session.SaveChangesAsync(ct);
        changes.Publish(message.PatientId, version);
        LogRecorded(logger, message.EventId, message.Type, message.Department);
        return true;
    }

    private static void Check(ClinicalEvent message)
    {
        if (message.EventId == Guid.Empty) throw new InvalidClinicalEventException("eventId is missing");
        if (!PatientIds.IsValid(message.PatientId)) throw new InvalidClinicalEventException("patientId is not a valid medical record number");
        if (message.SchemaVersion != 1) throw new InvalidClinicalEventException($"schemaVersion {message.SchemaVersion} is not supported");
    }

    [LoggerMessage(LogLevel.Information, "Recorded {EventType} {EventId} from {Department}")]
    private static partial void LogRecorded(ILogger logger, Guid eventId, string eventType, string department);

    [LoggerMessage(LogLevel.Information, "Ignored redelivered {EventType} {EventId}")]
    private static partial void LogDuplicate(ILogger logger, Guid eventId, string eventType);
}

/// <summary>One consumer per contract event type, all on the journey's queue.</summary>
public sealed class ClinicalEventConsumer<TEvent>(JourneyRecorder recorder) : IConsumer<TEvent> where TEvent : ClinicalEvent
{
    public Task Consume(ConsumeContext<TEvent> context)
    {
        // An envelope without its message deserializes to null; retrying cannot fill it in.
        if (context.Message is null) throw new InvalidClinicalEventException("the envelope holds no message");
        CheckSender(context);
        return recorder.RecordAsync(context.Message, context.CancellationToken);
    }

    /// <summary>
    /// Only the department that owns an event type may send it: the broker-validated user_id must be that
    /// department's user. Anything else (another department, no user_id) goes to the error queue unrecorded.
    /// </summary>
    private static void CheckSender(ConsumeContext<TEvent> context)
    {
        var sender = context.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit) ? rabbit.Properties.UserId : null;
        var owner = ContractEvents.DepartmentOf(typeof(TEvent));
        if (BrokerAccounts.DepartmentOfUser(sender) != owner)
            throw new InvalidClinicalEventException(
                $"{typeof(TEvent).Name} is recorded only by the {owner} department; this one was sent by {(string.IsNullOrEmpty(sender) ? "an unidentified sender" : sender)}");
    }
}
