using System.Text.Json.Serialization;

namespace PatientJourney.Contracts.Diagnosis;

public abstract record DiagnosisEvent : ClinicalEvent
{
    public override string Department => Departments.Diagnosis;
}

/// <summary>Contract v2: the diagnosis department's events forwarded together, as one message.</summary>
public sealed record DiagnosisEventBatch : ClinicalEventBatch<DiagnosisEvent>;

[JsonConverter(typeof(ContractEnumConverter<Sex>))]
public enum Sex
{
    [JsonStringEnumMemberName("female")] Female,
    [JsonStringEnumMemberName("male")] Male,
    [JsonStringEnumMemberName("other")] Other,
    [JsonStringEnumMemberName("unknown")] Unknown,
}

public sealed record PatientRegistered : DiagnosisEvent
{
    public required Sex Sex { get; init; }
    public required DateOnly BirthDate { get; init; }
    public string? DisplayName { get; init; }
}

public sealed record Immunohistochemistry(IReadOnlyList<string> Positive, IReadOnlyList<string> Negative);

public sealed record DiagnosisConfirmed : DiagnosisEvent
{
    public required string Histology { get; init; }
    public string? Differentiation { get; init; }
    public string? PrimarySite { get; init; }
    public IReadOnlyList<string> MetastaticSites { get; init; } = [];
    public Immunohistochemistry? Immunohistochemistry { get; init; }
}

public sealed record PerformanceStatusRecorded : DiagnosisEvent
{
    /// <summary>ECOG performance status 0-5.</summary>
    public required int Ecog { get; init; }
}

public sealed record PlannedProcedure(ProcedureKind Procedure, int Sessions, int IntervalMonths, DateOnly? FirstOn);

public sealed record MultidisciplinaryDecisionRecorded : DiagnosisEvent
{
    public required string Decision { get; init; }
    public IReadOnlyList<PlannedProcedure> PlannedProcedures { get; init; } = [];
}

public sealed record SurveillancePlanStarted : DiagnosisEvent
{
    public required string Protocol { get; init; }

    /// <summary>Equal to <see cref="ClinicalEvent.OccurredOn"/>; named as the contract's request names it.</summary>
    public DateOnly StartsOn => OccurredOn;
}

public sealed record ClinicVisitRecorded : DiagnosisEvent
{
    public int? Ecog { get; init; }
}

/// <summary>The surveillance protocol ids a plan may name (contract v1); the journey holds their rules.</summary>
public static class SurveillanceProtocolIds
{
    public const string CtEvery3MonthsVisitsMonthly = "ct-q3m-visits-q1m";
    public const string EsmoSoftTissueSarcomaHighGrade = "esmo-sts-high-grade";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        CtEvery3MonthsVisitsMonthly, EsmoSoftTissueSarcomaHighGrade,
    };
}
