using PatientJourney.Contracts.Diagnosis;

namespace PatientJourney.Journey.Catalogue;

// A merge of two record numbers (issue 31): an entry in the survivor's journey, where both records' facts show. Its reason
// is free text and stays in the event.
public static partial class JourneyEvents
{
    private static IEnumerable<EventMeaning> Merging() =>
    [
        new EventMeaning<PatientsMerged> { Summary = m => $"Record {m.PatientId} merged into {m.Into}" },
    ];
}
