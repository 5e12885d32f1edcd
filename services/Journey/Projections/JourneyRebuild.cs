using Marten;
using PatientJourney.BuildingBlocks.EventStore;
using PatientJourney.Contracts;

namespace PatientJourney.Journey.Projections;

/// <summary>Where an interrupted rebuild stopped: the last patient whose read models were rewritten.</summary>
public sealed record RebuildCheckpoint(string Id, string LastPatientId, int Done, int Total)
{
    public const string Key = "journey-rebuild";
}

public sealed record RebuildProgress(int Done, int Total);

/// <summary>
/// Rebuilds every patient's read models from the journey's event store; the result equals the live ones. A
/// checkpoint is committed after each batch, so a rebuild that was killed resumes after the last checkpoint
/// (rewriting a patient twice is harmless). The live service keeps answering and consuming: each patient's read
/// models are rewritten in one transaction, under the same per-patient lock as the consumer.
/// </summary>
public static class JourneyRebuild
{
    public static async Task<int> RebuildAllAsync(
        IDocumentStore store, int batchSize = 200, IProgress<RebuildProgress>? progress = null, CancellationToken ct = default)
    {
        IReadOnlyList<string> patients;
        RebuildCheckpoint? checkpoint;
        await using (var query = store.QuerySession())
        {
            patients = await query.QueryAsync<string>(Tombstones.PatientStreamsSql(JourneyService.Schema), ct);
            checkpoint = await query.LoadAsync<RebuildCheckpoint>(RebuildCheckpoint.Key, ct);
        }

        var remaining = checkpoint is null ? patients : patients.Where(p => string.CompareOrdinal(p, checkpoint.LastPatientId) > 0).ToList();
        var done = patients.Count - remaining.Count;
        progress?.Report(new RebuildProgress(done, patients.Count));
        foreach (var batch in remaining.Chunk(batchSize))
        {
            ct.ThrowIfCancellationRequested();
            foreach (var patientId in batch)
            {
                await using var session = store.LightweightSession();
                await session.LockStreamAsync(JourneyService.Schema, patientId, ct);
                var stream = await session.Events.FetchStreamAsync(patientId, token: ct);
                PatientReadModels.Write(session, patientId, stream.Select(e => e.Data).OfType<ClinicalEvent>(), stream.Count);
                await session.SaveChangesAsync(ct);
            }
            done += batch.Length;
            await using (var session = store.LightweightSession())
            {
                session.Store(new RebuildCheckpoint(RebuildCheckpoint.Key, batch[^1], done, patients.Count));
                await session.SaveChangesAsync(ct);
            }
            progress?.Report(new RebuildProgress(done, patients.Count));
        }

        await using (var session = store.LightweightSession())
        {
            session.Delete<RebuildCheckpoint>(RebuildCheckpoint.Key);
            await session.SaveChangesAsync(ct);
        }
        return patients.Count;
    }
}
