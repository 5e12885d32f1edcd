namespace PatientJourney.Journey.Store;

/// <summary>Where the journey keeps its events and read models: below every slice, so that none of them imports the service.</summary>
public static class JourneyStore
{
    public const string Schema = "journey";
}
