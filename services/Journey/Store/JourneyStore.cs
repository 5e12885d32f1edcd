namespace PatientJourney.Journey.Store;

/// <summary>Where the journey keeps its events and read models: below every slice, so that none of them imports the service.</summary>
public static class JourneyStore
{
    public const string Schema = "journey";
}

/// <summary>
/// Told by the recorder once a patient's new events are committed. The live pages' stream implements it; the recorder
/// knows only this, not the read side that listens.
/// </summary>
public interface IPatientChanges
{
    void Recorded(string patientId, long version);
}
