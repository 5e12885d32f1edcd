using System.Diagnostics;
using Marten;
using Microsoft.Extensions.Logging;
using PatientJourney.StoreAndBus.Messaging;
using PatientJourney.StoreAndBus.EventStore;
using PatientJourney.Contracts;
using PatientJourney.Journey.Audit;
using PatientJourney.Journey.Merging;
using PatientJourney.Journey.PatientJourneys;
using PatientJourney.Journey.Projections;
using PatientJourney.Journey.Store;
using PatientJourney.Journey.Telemetry;
using PatientJourney.Journey.Worklist;

namespace PatientJourney.Journey.Recording;

/// <summary>A message the journey refuses for good: retrying it cannot help, so it goes to the error queue at once.</summary>
public sealed class InvalidClinicalEventException(string reason) : Exception(reason);

/// <summary>
/// Appends each department's event to the patient's journey stream, once: a redelivered eventId changes nothing.
/// Messages are recorded in batches (group commit): the batch's patients are locked together (the same per-patient
/// transaction lock as every writer of the journey), their streams read in one round trip, each patient's new events
/// appended, its read models rewritten once and its hash chain extended, all in one transaction. If the batch fails,
/// every message of it fails and is retried by the bus on its own; the stream version still guards against anything
/// that slips past the lock.
/// </summary>
public sealed partial class JourneyRecorder : IAsyncDisposable
{
    private readonly IDocumentStore _store;
    private readonly ILogger<JourneyRecorder> _logger;
    private readonly GroupCommit<ClinicalEvent, bool> _commits;
    // The journey holds a patient's whole history from every department: fewer of them than a department holds.
    private readonly StreamCache _streams = new(capacity: 1_000);
    private readonly PatientTails _tails = new(capacity: 1_000);
    private readonly StoreSchema _schema;
    private readonly TimeProvider _clock;

    public const int DefaultBatchWriters = 2;
    public const int DefaultMaxBatch = 500;
    /// <summary>Each batch's span: parented by its first consume, linked to the others.</summary>
    public const string CommitSpanName = "journey commit";

    public JourneyRecorder(IDocumentStore store, ILogger<JourneyRecorder> logger, IConfiguration configuration, TimeProvider clock, StoreSchema schema)
    {
        _schema = schema;
        _clock = clock;
        _store = store;
        _logger = logger;
        // Two batches in flight, each taking what many messages brought: a patient's events reach the journey about a
        // round trip of its department apart, so only a batch that gathers more messages holds several of them and
        // rewrites the patient's view, stream and worklist once for all: two writers with 32 batches in hand halved the
        // offered load's tail against six with 8 at the same throughput. Six writers were what kept up while one message
        // carried one event; one writer instead of two delivers less. Batches of up to 1,000 events (Journey:MaxBatch)
        // deliver slightly more but take the journey to the edge of its 300 MB (measured in docs/benchmarks-history.md).
        _commits = new GroupCommit<ClinicalEvent, bool>(WriteBatchAsync, e => e.PatientId,
            maxBatch: configuration.GetValue<int?>("Journey:MaxBatch") ?? DefaultMaxBatch,
            writers: configuration.GetValue<int?>("Journey:BatchWriters") ?? DefaultBatchWriters, logger: logger, spanName: CommitSpanName);
    }

    /// <summary>True when the event was appended, false when the journey already had it.</summary>
    public Task<bool> RecordAsync(ClinicalEvent message, CancellationToken ct)
    {
        Check(message, LatestClinicalDate());
        return _commits.SubmitAsync(message, ct);
    }

    /// <summary>Records a batch of events (each checked before any is submitted), done when every one of them is.</summary>
    public Task RecordAsync(IReadOnlyList<ClinicalEvent> events, CancellationToken ct)
    {
        var latest = LatestClinicalDate();
        for (var i = 0; i < events.Count; i++)
        {
            try
            {
                Check(events[i], latest);
            }
            catch (InvalidClinicalEventException invalid)
            {
                throw new InvalidClinicalEventException($"events[{i}] ({events[i].EventId}): {invalid.Message}; nothing of the batch was recorded");
            }
        }
        var recorded = new Task[events.Count];
        for (var i = 0; i < events.Count; i++) recorded[i] = _commits.SubmitAsync(events[i], ct);
        return Task.WhenAll(recorded);
    }

    private async Task WriteBatchAsync(IReadOnlyList<PendingWrite<ClinicalEvent, bool>> batch, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        // The batch's span (GroupCommit's), taken before the session's own spans start beneath it: the notices carry it.
        var commitSpan = Activity.Current;
        // The set-based upserts create no table: the read models', the chain's and the counts' are made at start.
        await _schema.AppliedAsync(ct);
        await using var session = _store.LightweightSession();
        // The batch's patients and the records merges link them to: a survivor's read models come from all its records.
        var merges = await MergedRecords.LockAsync(session, batch.Select(p => p.Item.PatientId), batch.Select(p => p.Item), ct);
        var patients = merges.Patients.ToList();
        // When the journey knew these events: its own clock, under the patients' locks (so a patient's known-at times
        // follow its versions), stored with each event and hashed into its chain link. The sender's recordedAt stays data.
        var knownAt = EventChain.Microseconds(_clock.GetUtcNow());
        var locked = Stopwatch.GetTimestamp();
        var streams = await _streams.ReadAsync(session, JourneyStore.Schema, patients, ct);
        var tails = await _tails.ReadAsync(session, streams, ct);
        var read = Stopwatch.GetTimestamp();

        var outcomes = new List<(PendingWrite<ClinicalEvent, bool> Pending, bool Appended)>(batch.Count);
        var appendedTo = new Dictionary<string, List<ClinicalEvent>>();
        var appends = new List<StreamAppend>();
        var views = new List<PatientJourneyView>();
        var links = new List<ChainLink>();
        var lastHashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in batch.GroupBy(p => p.Item.PatientId))
        {
            var stream = streams[group.Key];
            var known = stream.EventIds.ToHashSet();
            var added = new List<ClinicalEvent>();
            foreach (var pending in group)
            {
                var appended = known.Add(pending.Item.EventId);
                if (appended) added.Add(pending.Item);
                else LogDuplicate(_logger, pending.Item.EventId, pending.Item.Type);
                outcomes.Add((pending, appended));
            }
            if (added.Count == 0) continue;

            appends.Add(new StreamAppend(group.Key, stream.Version, added));
            foreach (var merged in added.OfType<Contracts.Diagnosis.PatientsMerged>()) merges.Merged(merged);
            links.AddRange(EventChain.Links(tails[group.Key].LastHash, stream.Version, added, knownAt));
            lastHashes[group.Key] = links[^1].Hash;
            appendedTo[group.Key] = added;
        }

        // One view a survivor whose records the batch appended to.
        foreach (var survivor in appendedTo.Keys.Select(merges.SurvivorOf).Distinct(StringComparer.Ordinal))
            views.Add(SurvivorViews.Project(survivor, merges, r => appendedTo.TryGetValue(r, out var added)
                ? new SurvivorViews.RecordStream(streams[r].Events.Concat(added), streams[r].Version + added.Count)
                : new SurvivorViews.RecordStream(streams[r].Events, streams[r].Version)));
        SurvivorViews.Write(session, merges, appendedTo.Keys);

        session.QueueClinicalAppends(JourneyStore.Schema, appends, knownAt);
        // The batch's views, worklist rows and chain links in a statement each, not one a patient, row or link.
        var worklistRows = PatientReadModels.WriteAll(session, views,
            tails.Where(t => t.Value.WorklistRows is not null && merges.IsAlone(t.Key)).ToDictionary(t => t.Key, t => t.Value.WorklistRows!.Value));
        EventChain.Append(session, links);
        // Every instance's open pages hear of it once it has committed (nothing if it does not).
        ChangeNotices.Queue(session, views.Select(v => (v.Id, v.Version)), commitSpan?.Id);
        var projected = Stopwatch.GetTimestamp();
        if (appendedTo.Count > 0) await session.SaveChangesAsync(ct);
        if (_logger.IsEnabled(LogLevel.Debug))
            LogBatch(_logger, batch.Count, patients.Count, Stopwatch.GetElapsedTime(batch.Min(p => p.QueuedAt), started).TotalMilliseconds,
                Stopwatch.GetElapsedTime(started, locked).TotalMilliseconds, Stopwatch.GetElapsedTime(locked, read).TotalMilliseconds,
                Stopwatch.GetElapsedTime(read, projected).TotalMilliseconds, Stopwatch.GetElapsedTime(projected).TotalMilliseconds);
        // Committed: answered first, so that nothing after the commit can make a recorded event look failed.
        foreach (var (pending, appended) in outcomes)
        {
            if (appended) LogRecorded(_logger, pending.Item.EventId, pending.Item.Type, pending.Item.Department);
            pending.Outcome.TrySetResult(appended);
        }
        foreach (var (patientId, added) in appendedTo)
        {
            _streams.Appended(patientId, streams[patientId], added);
            // A survivor's rows are found by patient (its records' tails do not count them): only a record alone keeps its count.
            _tails.Committed(patientId, new PatientTail(streams[patientId].Version + added.Count, lastHashes[patientId],
                merges.IsAlone(patientId) ? worklistRows[patientId] : null));
        }
        JourneyMetrics.Committed(_clock.GetUtcNow(), appendedTo.Values);
    }

    /// <summary>
    /// A department's today may be the journey's tomorrow (clocks, time zones at midnight): a clinical date up to the
    /// journey's next day is taken; anything later cannot have happened.
    /// </summary>
    private DateOnly LatestClinicalDate() => DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime).AddDays(1);

    /// <summary>
    /// The event as its department checks it (<see cref="ClinicalEvent.Validate"/>, the same code): a message published
    /// straight to an exchange has been through no department's checks. The reason names the fields, never their values.
    /// </summary>
    private static void Check(ClinicalEvent message, DateOnly latest)
    {
        var validation = message.Validate(latest);
        if (!validation.IsValid)
            throw new InvalidClinicalEventException(string.Join("; ", validation.Errors.Select(e => $"{e.Key} {string.Join(", ", e.Value)}")));
    }

    [LoggerMessage(LogLevel.Information, "Recorded {EventType} {EventId} from {Department}")]
    private static partial void LogRecorded(ILogger logger, Guid eventId, string eventType, string department);

    [LoggerMessage(LogLevel.Debug, "Batch of {Messages} messages for {Patients} patients: queued {QueuedMs:F0} ms, lock {LockMs:F0} ms, read {ReadMs:F0} ms, project {ProjectMs:F0} ms, commit {CommitMs:F0} ms")]
    private static partial void LogBatch(ILogger logger, int messages, int patients, double queuedMs, double lockMs, double readMs, double projectMs, double commitMs);

    [LoggerMessage(LogLevel.Information, "Ignored redelivered {EventType} {EventId}")]
    private static partial void LogDuplicate(ILogger logger, Guid eventId, string eventType);

    public ValueTask DisposeAsync() => _commits.DisposeAsync();
}
