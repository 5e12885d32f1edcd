namespace PatientJourney.StoreAndBus.EventStore;

/// <summary>
/// Marten fills the sequence numbers of a transaction that failed half-way (a database restart, say) with "tombstone"
/// events on a stream of its own, so that its async daemon does not wait on a gap. They are no clinical fact and
/// no patient: whatever lists streams or counts events leaves them out.
/// </summary>
public static class Tombstones
{
    public const string StreamId = "mt_tombstone";
    public const string EventType = "tombstone";

    /// <summary>Every patient's stream id in a schema, in ordinal order.</summary>
    public static string PatientStreamsSql(string schema) => $"select id from {schema}.mt_streams where id <> '{StreamId}' order by id collate \"C\"";

    /// <summary>SQL selecting a column of the clinical events of a schema.</summary>
    public static string ClinicalEventsSql(string schema, string select) => $"select {select} from {schema}.mt_events where type <> '{EventType}'";
}
