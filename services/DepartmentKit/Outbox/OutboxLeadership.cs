using Microsoft.Extensions.Configuration;

namespace PatientJourney.DepartmentKit.Outbox;

/// <summary>
/// Which instance of a department forwards its outbox: the one holding the shard's advisory lock (Marten's HotCold
/// daemon). The lock goes with the holder's connection, so a killed forwarder frees it at once; the others find it free
/// at their next poll and the first to take it resumes from the progression, re-delivering the page in flight (the
/// journey ignores an eventId it has).
/// </summary>
public static class OutboxLeadership
{
    /// <summary>
    /// Outbox:LeadershipPollingMs (default 1,000): Marten's 5 s would leave a department's facts unforwarded for up to
    /// 5 s after its forwarder dies; one try of a free lock a second costs each standing-by instance one query.
    /// </summary>
    /// <returns>Milliseconds, as Marten takes it.</returns>
    public static int PollingTime(IConfiguration configuration) => Math.Max(100, configuration.GetValue<int?>("Outbox:LeadershipPollingMs") ?? 1_000);
}
