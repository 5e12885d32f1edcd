using System.Text;
using System.Text.Json;
using Marten;

namespace PatientJourney.Journey.Store;

/// <summary>Patients whose journeys a commit changed, the version each reached, and the trace that committed them.</summary>
public sealed record ChangeNotice(IReadOnlyList<(string PatientId, long Version)> Changes, string? TraceParent);

/// <summary>
/// How a journey instance tells every instance (and so every open page, whichever instance it is attached to) that a
/// patient's journey changed: a PostgreSQL NOTIFY queued in the recording transaction itself. PostgreSQL delivers it
/// when, and only if, that transaction commits, to every session listening on the channel, in commit order; nothing
/// can announce an event that did not land, and the broker needs no exchange, queue or permission for it.
/// </summary>
public static class ChangeNotices
{
    public const string Channel = "journey_changes";
    /// <summary>PostgreSQL refuses a payload of 8,000 bytes or more: larger batches are told in several notices.</summary>
    public const int MaxPayloadBytes = 7_000;

    /// <summary>Queues the notices in the session: they are sent with its commit.</summary>
    /// <param name="trace">The committing span (W3C traceparent), whose trace the telling continues.</param>
    public static void Queue(IDocumentSession session, IEnumerable<(string PatientId, long Version)> changes, string? trace)
    {
        foreach (var payload in Payloads(changes, trace)) session.QueueSqlCommand("select pg_notify(?, ?)", Channel, payload);
    }

    /// <summary>The notices' payloads: as many patients in each as fit under PostgreSQL's limit.</summary>
    public static IReadOnlyList<string> Payloads(IEnumerable<(string PatientId, long Version)> changes, string? trace)
    {
        var payloads = new List<string>();
        var chunk = new List<PayloadChange>();
        var bytes = 0;
        foreach (var (patientId, version) in changes)
        {
            // A change's JSON ({"I":"...","V":...},) is its id and at most 30 bytes more; an id's escapes count in full.
            var size = Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(patientId)) + 30;
            if (chunk.Count > 0 && bytes + size > MaxPayloadBytes)
            {
                payloads.Add(JsonSerializer.Serialize(new Payload(trace, chunk)));
                (chunk, bytes) = ([], 0);
            }
            chunk.Add(new PayloadChange(patientId, version));
            bytes += size;
        }
        if (chunk.Count > 0) payloads.Add(JsonSerializer.Serialize(new Payload(trace, chunk)));
        return payloads;
    }

    /// <summary>A notice as the listener receives it; null for a payload that is not one (nothing else writes the channel).</summary>
    public static ChangeNotice? Parse(string payload)
    {
        try
        {
            var read = JsonSerializer.Deserialize<Payload>(payload);
            return read?.P is null ? null : new ChangeNotice([.. read.P.Where(c => c.I is not null).Select(c => (c.I!, c.V))], read.T);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Short names: a busy batch tells hundreds of patients in one notice.
    private sealed record Payload(string? T, IReadOnlyList<PayloadChange>? P);
    private sealed record PayloadChange(string? I, long V);
}
