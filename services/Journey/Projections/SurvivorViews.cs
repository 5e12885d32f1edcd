using Marten;
using PatientJourney.Contracts;
using PatientJourney.Journey.PatientJourneys;
using PatientJourney.Journey.Merging;
using PatientJourney.Journey.Worklist;

namespace PatientJourney.Journey.Projections;

/// <summary>
/// A survivor's read models come from all of its records' streams (its own and those merged into it); a merged-away
/// record has none: it leaves the patients list and the worklist. The recorder and the rebuild write them this one way,
/// so a rebuild gives the live answer whatever the order the facts and the merge arrived in.
/// </summary>
public static class SurvivorViews
{
    /// <summary>One record's stream as a writer read it: its events and its version.</summary>
    public readonly record struct RecordStream(IEnumerable<ClinicalEvent> Events, long Version);

    /// <summary>
    /// The survivor's view from all of its records (each as the writer read it, with what it appends); its version is the
    /// sum of the records' versions, so it grows with every fact of any of them.
    /// </summary>
    public static PatientJourneyView Project(string survivor, MergedRecords merges, Func<string, RecordStream> recordOf)
    {
        var records = merges.RecordsOf(survivor).Select(recordOf).ToList();
        return JourneyProjection.Project(survivor, records.SelectMany(r => r.Events), records.Sum(r => r.Version));
    }

    /// <summary>The merges the batch recorded stored with it; the read models of every merged-away record it touched deleted.</summary>
    public static void Write(IDocumentSession session, MergedRecords merges, IEnumerable<string> touched)
    {
        foreach (var merge in merges.Added) session.Store(merge);
        foreach (var patientId in touched.Where(merges.IsMergedAway))
        {
            session.Delete<PatientJourneyView>(patientId);
            session.DeleteWhere<WorklistEntry>(e => e.PatientId == patientId);
        }
    }
}
