namespace PatientJourney.Journey.Store;

/// <summary>Where the journey keeps its events and read models: below every slice, so that none of them imports the service.</summary>
public static class JourneyStore
{
    public const string Schema = "journey";

    /// <summary>
    /// The key of the query session that reads the primary: what the audit routes use, whose answer is the record of what
    /// the journey holds now. The read routes take Marten's query session, on a standby when there is one
    /// (docs/api-contract.md, "Consistency").
    /// </summary>
    public const string Primary = "primary";
}
