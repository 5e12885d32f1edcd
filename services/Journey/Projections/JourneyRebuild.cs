using Marten;
using PatientJourney.Contracts;

namespace PatientJourney.Journey.Projections;

/// <summary>Rebuilds every patient's read models from the journey's event store; the result equals the live ones.</summary>
public static class JourneyRebuild
{
    public static async Task<int> RebuildAllAsync(IDocumentStore store, CancellationToken ct = default)
    {
        IReadOnlyList<string> patients;
        await using (var query = store.QuerySession())
            patients = await query.QueryAsync<string>($"select id from {JourneyService.Schema}.mt_streams order by id", ct);

        foreach (var batch in patients.Chunk(200))
        {
            await using var session = store.LightweightSession();
            foreach (var patientId in batch)
            {
                var stream = await session.Events.FetchStreamAsync(patientId, token: ct);
                PatientReadModels.Write(session, patientId, stream.Select(e => e.Data).OfType<ClinicalEvent>(), stream.Count);
            }
            await session.SaveChangesAsync(ct);
        }
        return patients.Count;
    }
}
