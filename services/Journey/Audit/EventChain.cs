using System.Security.Cryptography;
using System.Text.Json;
using Marten;
using PatientJourney.BuildingBlocks;
using PatientJourney.Contracts;

namespace PatientJourney.Journey.Audit;

/// <summary>One link of a patient's hash chain: the hash over the previous link's hash and the event's canonical JSON.</summary>
public sealed record ChainLink(string Id, string PatientId, long Version, Guid EventId, string PreviousHash, string Hash)
{
    public static string IdOf(string patientId, long version) => $"{patientId}/{version}";
}

public sealed record ChainVerification(string PatientId, bool Intact, int Events, long? FirstAlteredVersion, Guid? FirstAlteredEventId, string? Reason);

/// <summary>
/// Tamper evidence: each journey event is chained to the one before it, so changing an event's content, its order,
/// or deleting one breaks every hash from there on, and verification names the first event that no longer matches.
/// </summary>
public static class EventChain
{
    public const string Genesis = "genesis";

    /// <summary>The event as the contract serializes it: one property order (the record's), one JSON dialect.</summary>
    public static byte[] CanonicalJson(ClinicalEvent e) => JsonSerializer.SerializeToUtf8Bytes(e, e.GetType(), JsonDefaults.Options);

    public static string HashOf(string previousHash, ClinicalEvent e)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes(previousHash));
        sha.AppendData(CanonicalJson(e));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>
    /// The links of events newly appended after <paramref name="version"/> to the patient's chain, stored by the caller
    /// in the same unit of work. <paramref name="last"/> is the chain's link at <paramref name="version"/> (null for a
    /// new stream; a missing link restarts from genesis, which verification then reports as the break it is).
    /// </summary>
    public static IEnumerable<ChainLink> Links(ChainLink? last, long version, IEnumerable<ClinicalEvent> appended)
    {
        var previousHash = last?.Hash ?? Genesis;
        foreach (var e in appended)
        {
            version++;
            var link = new ChainLink(ChainLink.IdOf(e.PatientId, version), e.PatientId, version, e.EventId, previousHash, HashOf(previousHash, e));
            yield return link;
            previousHash = link.Hash;
        }
    }

    public static async Task<ChainVerification> VerifyAsync(IQuerySession session, string patientId, CancellationToken ct)
    {
        var stream = await session.Events.FetchStreamAsync(patientId, token: ct);
        var links = (await session.Query<ChainLink>().Where(l => l.PatientId == patientId).ToListAsync(ct)).ToDictionary(l => l.Version);
        var previousHash = Genesis;
        foreach (var e in stream.OrderBy(e => e.Version))
        {
            if (e.Data is not ClinicalEvent clinical) return Altered(e.Version, e.Id, "the event is not a clinical event of the contract");
            if (!links.TryGetValue(e.Version, out var link)) return Altered(e.Version, e.Id, "the event has no link in the chain");
            if (link.EventId != e.Id) return Altered(e.Version, e.Id, $"the chain holds event {link.EventId} at this position");
            if (link.PreviousHash != previousHash || link.Hash != HashOf(previousHash, clinical))
                return Altered(e.Version, e.Id, "the event's content no longer matches its hash");
            previousHash = link.Hash;
        }
        if (links.Count != stream.Count)
            return Altered(stream.Count + 1, null, $"the chain has {links.Count} links for {stream.Count} events: events were deleted");
        return new ChainVerification(patientId, true, stream.Count, null, null, null);

        ChainVerification Altered(long version, Guid? eventId, string reason) => new(patientId, false, stream.Count, version, eventId, reason);
    }
}
