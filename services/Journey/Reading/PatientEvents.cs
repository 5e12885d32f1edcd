using Marten;
using PatientJourney.StoreAndBus.EventStore;
using PatientJourney.Contracts;
using PatientJourney.Journey.Merging;

namespace PatientJourney.Journey.Reading;

public static class PatientEvents
{
    /// <summary>
    /// The patient's clinical events in stream order (those the journey had stored by <paramref name="knownAt"/>, when
    /// given); none for Marten's tombstone stream, which is no patient.
    /// </summary>
    /// <remarks>
    /// A survivor's events are those of all its records: its own stream's and those of the records merged into it (Merging/).
    /// </remarks>
    public static async Task<IReadOnlyList<ClinicalEvent>> ReadAsync(IQuerySession session, string patientId, CancellationToken ct,
        DateTimeOffset? knownAt = null)
    {
        if (patientId == Tombstones.StreamId) return [];
        var events = new List<ClinicalEvent>();
        foreach (var record in await MergedRecords.RecordsReadAsAsync(session, patientId, ct))
            events.AddRange((await session.Events.FetchStreamAsync(record, token: ct)).Where(e => knownAt is null || e.Timestamp <= knownAt)
                .Select(e => e.Data).OfType<ClinicalEvent>());
        return events;
    }
}
