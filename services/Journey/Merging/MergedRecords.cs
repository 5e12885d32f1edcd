using Marten;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.StoreAndBus.EventStore;
using PatientJourney.Journey.Store;

namespace PatientJourney.Journey.Merging;

/// <summary>
/// A record number merged away (PatientsMerged) and the record it was merged into. Written in the same transaction as the
/// event, under both records' locks, so a reader never sees the event without it; the first merge of a record holds
/// (the department refuses a second, and the journey ignores a forged one, or one that would close a loop).
/// </summary>
public sealed record PatientMerge
{
    /// <summary>The merged-away record number.</summary>
    public required string Id { get; init; }
    public required string Into { get; init; }
    public Guid EventId { get; init; }
}

/// <summary>
/// The merges around some patients: every record linked to them by merges either way, so that each one's survivor (its
/// root) and each survivor's records (its own and everything merged into it, in chains) are known. Nothing moves:
/// each record keeps its own stream; a survivor's read models are projected from all of its records' streams.
/// </summary>
public sealed class MergedRecords
{
    private readonly Dictionary<string, string> _into = new(StringComparer.Ordinal);
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly List<PatientMerge> _added = [];

    /// <summary>Every record linked by merges to the patients asked about, and those patients.</summary>
    public IReadOnlyCollection<string> Patients => _known;

    /// <summary>The merges recorded by this batch, to be stored with its events.</summary>
    public IReadOnlyList<PatientMerge> Added => _added;

    public bool IsMergedAway(string patientId) => _into.ContainsKey(patientId);

    /// <summary>The live record a record number leads to: itself unless merged away (through chains of merges).</summary>
    public string SurvivorOf(string patientId)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { patientId };
        while (_into.TryGetValue(patientId, out var next) && seen.Add(next)) patientId = next;
        return patientId;
    }

    /// <summary>A survivor's records: itself and every record whose survivor it is.</summary>
    public IReadOnlyList<string> RecordsOf(string survivor) =>
        _into.Count == 0 ? [survivor] : [.. _known.Where(p => SurvivorOf(p) == survivor).Order(StringComparer.Ordinal)];

    /// <summary>True when the patient's survivor has no other record: its read models are its own stream's.</summary>
    public bool IsAlone(string patientId) => _into.Count == 0 || RecordsOf(SurvivorOf(patientId)).Count == 1;

    /// <summary>A PatientsMerged the batch appends: taken unless the record is already merged away or it would close a loop.</summary>
    public void Merged(PatientsMerged merged)
    {
        if (_into.ContainsKey(merged.PatientId) || SurvivorOf(merged.Into) == merged.PatientId) return;
        _into[merged.PatientId] = merged.Into;
        _known.Add(merged.PatientId);
        _known.Add(merged.Into);
        _added.Add(new PatientMerge { Id = merged.PatientId, Into = merged.Into, EventId = merged.EventId });
    }

    /// <summary>
    /// Locks the patients and every record merges link them to (the survivors whose read models they change, and those
    /// survivors' other records, whose streams are projected with theirs), with the survivors named by merges the batch
    /// brings. The links are read first, then all is locked in the one ordinal order every writer uses, and read again
    /// under the locks: a merge committed meanwhile adds records, which are locked too (out of order: PostgreSQL breaks
    /// the rare deadlock and the batch is retried). Returns the links as they stand under the locks.
    /// </summary>
    public static async Task<MergedRecords> LockAsync(IDocumentSession session, IEnumerable<string> patients, IEnumerable<ClinicalEvent> incoming, CancellationToken ct)
    {
        var asked = patients.Concat(incoming.OfType<PatientsMerged>().Select(m => m.Into)).Distinct(StringComparer.Ordinal).ToList();
        var before = await ReadAsync(session, asked, ct);
        await session.LockStreamsAsync(JourneyStore.Schema, before.Patients, ct);
        var locked = before.Patients.ToHashSet(StringComparer.Ordinal);
        while (true)
        {
            var now = await ReadAsync(session, asked, ct);
            var more = now.Patients.Where(p => !locked.Contains(p)).ToList();
            if (more.Count == 0) return now;
            await session.LockMoreStreamsAsync(JourneyStore.Schema, more, ct);
            locked.UnionWith(more);
        }
    }

    /// <summary>The links around the patients: followed both ways until no new record turns up (one query without merges).</summary>
    public static async Task<MergedRecords> ReadAsync(IQuerySession session, IEnumerable<string> patients, CancellationToken ct)
    {
        var records = new MergedRecords();
        var frontier = patients.Where(records._known.Add).ToArray();
        while (frontier.Length > 0)
        {
            var links = await session.Query<PatientMerge>().Where(m => m.Id.IsOneOf(frontier) || m.Into.IsOneOf(frontier)).ToListAsync(ct);
            var next = new List<string>();
            foreach (var link in links)
            {
                records._into.TryAdd(link.Id, link.Into);
                if (records._known.Add(link.Id)) next.Add(link.Id);
                if (records._known.Add(link.Into)) next.Add(link.Into);
            }
            frontier = [.. next];
        }
        return records;
    }

    /// <summary>The survivor a read route's record number leads to, or null when it was not merged away.</summary>
    public static async Task<string?> SurvivorAsync(IQuerySession session, string patientId, CancellationToken ct)
    {
        var into = await session.LoadAsync<PatientMerge>(patientId, ct);
        if (into is null) return null;
        // Rare (a chain of merges): follow it to its end.
        var seen = new HashSet<string>(StringComparer.Ordinal) { patientId };
        while (await session.LoadAsync<PatientMerge>(into.Into, ct) is { } further && seen.Add(further.Id)) into = further;
        return into.Into;
    }

    /// <summary>
    /// The records whose streams make a patient's journey: a survivor's, and its own stream only for a record merged away
    /// (what the read routes redirect; a reader that asks anyway gets what that record holds).
    /// </summary>
    public static async Task<IReadOnlyList<string>> RecordsReadAsAsync(IQuerySession session, string patientId, CancellationToken ct)
    {
        var merges = await ReadAsync(session, [patientId], ct);
        return merges.IsMergedAway(patientId) ? [patientId] : merges.RecordsOf(patientId);
    }

    /// <summary>
    /// The registration that names a survivor: its own, not that of a record merged into it (the same person registered
    /// twice, the survivor's being the one kept); a record's own when it has no other.
    /// </summary>
    public static PatientRegistered? RegistrationOf(IEnumerable<ClinicalEvent> events, string patientId)
    {
        var registrations = events.OfType<PatientRegistered>().ToList();
        return registrations.FirstOrDefault(r => r.PatientId == patientId) ?? registrations.FirstOrDefault();
    }

    public static void Configure(StoreOptions opts) => opts.Schema.For<PatientMerge>().Duplicate(m => m.Into);
}
