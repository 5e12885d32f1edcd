using PatientJourney.Journey.Surveillance;

namespace PatientJourney.Journey.PatientJourneys;

/// <summary>
/// The read model of one patient, rebuilt in full from the patient's journey stream on every append:
/// a pure function of the stream, so a rebuild gives the same document. The journey's entries are not in it: they are
/// the stream itself, read in clinical order when the journey is asked for (<see cref="JourneyProjection.Entries"/>).
/// Kept here they were most of the document, rewritten whole by every batch that touched the patient (measured in
/// docs/benchmarks-history.md, "the journey's entries read from the stream").
/// </summary>
public sealed record PatientJourneyView
{
    /// <summary>The patientId (Marten's document identity).</summary>
    public required string Id { get; init; }
    public string? DisplayName { get; init; }
    public bool Registered { get; init; }
    public required CumulativeDoxorubicin CumulativeDoxorubicinMgPerM2 { get; init; }
    public LatestResponse? LatestResponse { get; init; }
    public required IReadOnlyList<JourneyFlag> Flags { get; init; }
    /// <summary>The schedule from every event, valid as of any day on or after <see cref="LatestOccurredOn"/>.</summary>
    public required Schedule Schedule { get; init; }
    public DateOnly LatestOccurredOn { get; init; }
    /// <summary>The patient's death as the journey takes it (<see cref="Death"/>): a PatientDied, or a CTCAE grade 5 adverse event.</summary>
    public bool Deceased { get; init; }
    public DateOnly? DiedOn { get; init; }
    /// <summary>The surveillance navigator (a user's sub): the latest NavigatorAssigned.</summary>
    public string? Navigator { get; init; }
    public int LatestOccurredOnDay => LatestOccurredOn.DayNumber;
    public long Version { get; init; }
}

/// <summary>
/// One line of the journey: an event, or a response the journey derived from a scan (department "journey", with the
/// scan's event id in <paramref name="Assesses"/>; its own id is derived from the scan's, so it is stable).
/// </summary>
public sealed record JourneyEntry(Guid EventId, string Type, string Department, DateOnly OccurredOn, DateTimeOffset RecordedAt, string Summary, Guid? Assesses = null)
{
    /// <summary>Withdrawn by its department: listed, and counted in nothing (contract: "Corrections").</summary>
    public bool Retracted { get; init; }

    /// <summary>The version that replaced this one; this one is counted in nothing.</summary>
    public Guid? AmendedBy { get; init; }

    /// <summary>The version this one replaced.</summary>
    public Guid? Amends { get; init; }

    /// <summary>The correction of this entry (its retraction or its replacement), or for an amendment why it was made.</summary>
    public EntryCorrection? Correction { get; init; }
}

/// <summary>Why a fact was corrected, by whom (a user's sub) and when the department recorded the correction.</summary>
public sealed record EntryCorrection(string Reason, string By, DateTimeOffset At);

/// <summary>
/// Doxorubicin exposure per m2: systemic (IV chemotherapy), locoregional (TACE mg over the latest BSA), and both, for
/// doxorubicin itself under any of its names; every anthracycline in doxorubicin-equivalent mg/m2 (the thresholds
/// apply to that total); pegylated liposomal doxorubicin on its own line, in no total.
/// </summary>
public sealed record CumulativeDoxorubicin(
    decimal Systemic, decimal? Locoregional, decimal Total, DoxorubicinEquivalent? DoxorubicinEquivalent = null, decimal LiposomalDoxorubicin = 0m)
{
    /// <summary>What the thresholds compare: every anthracycline, as doxorubicin counts it.</summary>
    public decimal EquivalentTotal => DoxorubicinEquivalent?.Total ?? Total;
}

/// <summary>Every anthracycline with a published equivalence, in doxorubicin-equivalent mg/m2 (doxorubicin included).</summary>
public sealed record DoxorubicinEquivalent(decimal Systemic, decimal? Locoregional, decimal Total);

/// <summary>The latest RECIST 1.1 response, derived by the journey; <paramref name="EventId"/> is the CT it assesses.</summary>
public sealed record LatestResponse(string Category, DateOnly AssessedOn, decimal? ChangeFromBaselinePercent, Guid EventId);

public sealed record JourneyFlag(string Code, string Severity, string Message, Guid? EventId = null);
