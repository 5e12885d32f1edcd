using System.Collections.Concurrent;
using Marten;
using PatientJourney.StoreAndBus.EventStore;
using PatientJourney.Journey.Audit;

namespace PatientJourney.Journey.Recording;

/// <summary>
/// What the next batch of a patient builds on besides the stream: the last hash of its chain and how many worklist
/// rows it has (null: not known, found by patient instead).
/// </summary>
public sealed record PatientTail(long Version, string? LastHash, int? WorklistRows)
{
    public static readonly PatientTail NewStream = new(0, null, 0);
}

/// <summary>
/// The tails the recorder wrote lately, so that a batch reads no chain link and deletes worklist rows by id: trusted, as
/// the stream cache is, only when the stream's version read under the patient's lock is the one the tail was written at.
/// Bounded: past its capacity it starts again empty, and a patient missed is read from the store.
/// The counts hold because the journey is the only writer of worklist rows besides the rebuild, which writes the same
/// rows from the same stream (same build: a rule change restarts the journey too); a patient without a stream is taken
/// to have no rows.
/// </summary>
public sealed class PatientTails(int capacity)
{
    private readonly ConcurrentDictionary<string, PatientTail> _tails = new(StringComparer.Ordinal);

    public async Task<Dictionary<string, PatientTail>> ReadAsync(IDocumentSession session, IReadOnlyDictionary<string, CachedStream> streams, CancellationToken ct)
    {
        var tails = new Dictionary<string, PatientTail>(streams.Count, StringComparer.Ordinal);
        var missed = new List<string>();
        foreach (var (patientId, stream) in streams)
        {
            if (stream.Version == 0) tails[patientId] = PatientTail.NewStream;
            else if (_tails.TryGetValue(patientId, out var tail) && tail.Version == stream.Version) tails[patientId] = tail;
            else missed.Add(patientId);
        }
        if (missed.Count == 0) return tails;
        var hashes = await EventChain.HashesAtAsync(session, missed.ToDictionary(p => p, p => streams[p].Version), ct);
        foreach (var patientId in missed) tails[patientId] = new PatientTail(streams[patientId].Version, hashes.GetValueOrDefault(patientId), null);
        return tails;
    }

    /// <summary>After a commit: the patient's tail as the batch left it.</summary>
    public void Committed(string patientId, PatientTail tail)
    {
        if (_tails.Count >= capacity) _tails.Clear();
        _tails[patientId] = tail;
    }
}
