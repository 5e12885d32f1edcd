using PatientJourney.Contracts;

namespace PatientJourney.Journey.Catalogue;

/// <summary>
/// Clinical order: occurredOn, then recordedAt, then an assessment after the fact it assesses (recorded together), then
/// eventId so that ties are stable. Every reader that puts a patient's
/// events in order uses this one, so the journey, the schedule and the FHIR export agree whatever order events arrived in.
/// </summary>
public sealed class ClinicalOrder : IComparer<ClinicalEvent>
{
    public static readonly ClinicalOrder Instance = new();

    public int Compare(ClinicalEvent? x, ClinicalEvent? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var byDate = x.OccurredOn.CompareTo(y.OccurredOn);
        if (byDate != 0) return byDate;
        var byRecorded = x.RecordedAt.CompareTo(y.RecordedAt);
        if (byRecorded != 0) return byRecorded;
        var byAssessment = JourneyEvents.Of(x).IsAssessment.CompareTo(JourneyEvents.Of(y).IsAssessment);
        return byAssessment != 0 ? byAssessment : x.EventId.CompareTo(y.EventId);
    }

    /// <summary>The events in clinical order (a stable sort: equal events keep their order).</summary>
    public static List<ClinicalEvent> Sort(IEnumerable<ClinicalEvent> events) => events.OrderBy(e => e, Instance).ToList();
}
