using Marten;
using PatientJourney.Journey.Storage;
using PatientJourney.Contracts;
using PatientJourney.Journey.PatientJourneys;
using PatientJourney.Journey.Worklist;

namespace PatientJourney.Journey.Projections;

/// <summary>What the journey stores for each patient besides its stream: the view and the worklist rows, written together.</summary>
public static class PatientReadModels
{
    public static void Configure(StoreOptions opts)
    {
        opts.Schema.For<PatientJourneyView>().Duplicate(v => v.LatestOccurredOnDay);
        opts.Schema.For<WorklistEntry>()
            .Duplicate(e => e.PatientId)
            // The counts per status are kept (WorklistCounts), so this index serves the pages only: no covering columns.
            .Duplicate(e => e.DueOnDay)
            .Duplicate(e => e.DueFromDay)
            .Duplicate(e => e.DueUntilDay)
            .Duplicate(e => e.ValidFromDay)
            .Duplicate(e => e.Suspended)
            .Duplicate(e => e.Booked)
            .Duplicate(e => e.Deferred)
            .Duplicate(e => e.Navigator);
    }

    /// <summary>Replaces everything read from one patient's stream: the view and the patient's worklist rows.</summary>
    public static PatientJourneyView Write(IDocumentSession session, string patientId, IEnumerable<ClinicalEvent> stream, long version)
    {
        var view = JourneyProjection.Project(patientId, stream, version);
        WriteAll(session, [view]);
        return view;
    }

    /// <summary>
    /// Replaces the read models of a batch's patients, from their new views: one statement for the views, one for the
    /// worklist rows and at most one for the rows past each patient's new end, whatever the number of patients.
    /// <paramref name="rowsBefore"/> holds how many worklist rows a patient had, where the caller knows it: only their
    /// rows past the new end are deleted, by id; the others' rows are found by patient. Returns each patient's rows now.
    /// </summary>
    public static Dictionary<string, int> WriteAll(IDocumentSession session, IReadOnlyCollection<PatientJourneyView> views,
        IReadOnlyDictionary<string, int>? rowsBefore = null)
    {
        var rowsNow = new Dictionary<string, int>(views.Count, StringComparer.Ordinal);
        if (views.Count == 0) return rowsNow;
        // Rows stored over in place, only those past the new end deleted: most of a patient's items keep their
        // status key (due window, suspended) from one event to the next, and then their kept counts are not touched.
        // Rows are numbered from 0 (WorklistEntry.For), so a known count names the rows past the end; a delete by patient
        // is planned as a scan of the whole table while it is small and cost a tenth of the journey's statement time.
        var entries = new List<WorklistEntry>();
        var pastTheEnd = new List<string>();
        var unknown = new List<string>();
        var unknownKept = new List<string>();
        foreach (var view in views)
        {
            var first = entries.Count;
            entries.AddRange(WorklistEntry.For(view));
            var now = rowsNow[view.Id] = entries.Count - first;
            if (rowsBefore is not null && rowsBefore.TryGetValue(view.Id, out var had))
                for (var n = now; n < had; n++) pastTheEnd.Add(WorklistEntry.IdOf(view.Id, n));
            else
            {
                unknown.Add(view.Id);
                unknownKept.AddRange(entries.Skip(first).Select(e => e.Id));
            }
        }
        var worklist = session.DocumentStore.Options.FindOrResolveDocumentType(typeof(WorklistEntry));
        if (unknown.Count > 0)
        {
            var patientColumn = worklist.DuplicatedFields.Single(f => f.MemberName == nameof(WorklistEntry.PatientId)).ColumnName;
            session.QueueSqlCommand($"delete from {worklist.TableName.QualifiedName} where {patientColumn} = any(?) and not (id = any(?))",
                unknown.ToArray(), unknownKept.ToArray());
        }
        if (pastTheEnd.Count > 0)
            session.QueueSqlCommand($"delete from {worklist.TableName.QualifiedName} where id = any(?)", (object)pastTheEnd.ToArray());
        session.Upsert(views, v => v.Id);
        session.Upsert(entries, e => e.Id);
        return rowsNow;
    }
}
