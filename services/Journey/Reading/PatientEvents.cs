using Marten;
using PatientJourney.StoreAndBus.EventStore;
using PatientJourney.Contracts;

namespace PatientJourney.Journey.Reading;

public static class PatientEvents
{
    /// <summary>
    /// The patient's clinical events in stream order (those the journey had stored by <paramref name="knownAt"/>, when
    /// given); none for Marten's tombstone stream, which is no patient.
    /// </summary>
    public static async Task<IReadOnlyList<ClinicalEvent>> ReadAsync(IQuerySession session, string patientId, CancellationToken ct,
        DateTimeOffset? knownAt = null) =>
        patientId == Tombstones.StreamId ? []
            : (await session.Events.FetchStreamAsync(patientId, token: ct)).Where(e => knownAt is null || e.Timestamp <= knownAt)
                .Select(e => e.Data).OfType<ClinicalEvent>().ToList();
}
