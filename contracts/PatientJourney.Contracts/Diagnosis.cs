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

    protected override void ValidateFact(FieldValidation v, DateOnly latest)
    {
        SharedChecks.IsDefined(v, Sex, "sex");
        v.ClinicalDate(BirthDate, "birthDate", latest);
        v.MaxLength(DisplayName, "displayName", ClinicalLimits.ShortText);
        if (OccurredOn < BirthDate) v.Add("occurredOn", "must not be before birthDate");
    }
}

public sealed record Immunohistochemistry(IReadOnlyList<string> Positive, IReadOnlyList<string> Negative);

public sealed record DiagnosisConfirmed : DiagnosisEvent
{
    public required string Histology { get; init; }
    public string? Differentiation { get; init; }
    public string? PrimarySite { get; init; }
    public IReadOnlyList<string> MetastaticSites { get; init; } = [];
    public Immunohistochemistry? Immunohistochemistry { get; init; }

    protected override void ValidateFact(FieldValidation v, DateOnly latest) =>
        CheckFindings(v, Histology, Differentiation, PrimarySite, MetastaticSites, Immunohistochemistry?.Positive, Immunohistochemistry?.Negative);

    /// <summary>The pathology's text, as the request and the event both carry it.</summary>
    public static void CheckFindings(FieldValidation v, string? histology, string? differentiation, string? primarySite,
        IReadOnlyList<string?>? metastaticSites, IReadOnlyList<string?>? positive, IReadOnlyList<string?>? negative)
    {
        v.Required(histology, "histology", ClinicalLimits.MediumText);
        v.MaxLength(differentiation, "differentiation", ClinicalLimits.ShortText);
        v.MaxLength(primarySite, "primarySite", ClinicalLimits.ShortText);
        v.Each(metastaticSites, "metastaticSites", (s, f) => v.Required(s, f, ClinicalLimits.ShortText));
        v.Each(positive, "immunohistochemistry.positive", (s, f) => v.Required(s, f, ClinicalLimits.Code));
        v.Each(negative, "immunohistochemistry.negative", (s, f) => v.Required(s, f, ClinicalLimits.Code));
    }
}

public sealed record PerformanceStatusRecorded : DiagnosisEvent
{
    /// <summary>ECOG performance status 0-5.</summary>
    public required int Ecog { get; init; }

    protected override void ValidateFact(FieldValidation v, DateOnly latest) => v.Range(Ecog, "ecog", ClinicalLimits.Ecog);
}

public sealed record PlannedProcedure(ProcedureKind Procedure, int Sessions, int IntervalMonths, DateOnly? FirstOn);

public sealed record MultidisciplinaryDecisionRecorded : DiagnosisEvent
{
    public required string Decision { get; init; }
    public IReadOnlyList<PlannedProcedure> PlannedProcedures { get; init; } = [];

    protected override void ValidateFact(FieldValidation v, DateOnly latest)
    {
        v.Required(Decision, "decision", ClinicalLimits.LongText);
        v.Each(PlannedProcedures, "plannedProcedures", (p, f) =>
        {
            SharedChecks.IsDefined(v, p.Procedure, $"{f}.procedure");
            v.Range(p.Sessions, $"{f}.sessions", ClinicalLimits.PlannedSessions);
            v.Range(p.IntervalMonths, $"{f}.intervalMonths", ClinicalLimits.PlannedIntervalMonths);
            if (p.FirstOn is { } first && first < OccurredOn) v.Add($"{f}.firstOn", "must not be before the decision");
        });
    }
}

public sealed record SurveillancePlanStarted : DiagnosisEvent
{
    public required string Protocol { get; init; }

    /// <summary>Equal to <see cref="ClinicalEvent.OccurredOn"/>; named as the contract's request names it.</summary>
    public DateOnly StartsOn => OccurredOn;

    protected override void ValidateFact(FieldValidation v, DateOnly latest) => SurveillanceProtocolIds.Check(v, Protocol, "protocol");
}

public sealed record ClinicVisitRecorded : DiagnosisEvent
{
    public int? Ecog { get; init; }

    protected override void ValidateFact(FieldValidation v, DateOnly latest) => v.Range(Ecog, "ecog", ClinicalLimits.Ecog);
}

/// <summary>The surveillance protocol ids a plan may name (contract v1); their rules are <see cref="SurveillanceProtocols"/>.</summary>
public static class SurveillanceProtocolIds
{
    public const string CtEvery3MonthsVisitsMonthly = "ct-q3m-visits-q1m";
    public const string EsmoSoftTissueSarcomaHighGrade = "esmo-sts-high-grade";

    public static IReadOnlyCollection<string> All => [.. SurveillanceProtocols.ById.Keys];

    public static bool Check(FieldValidation v, string? protocol, string field)
    {
        if (!v.Required(protocol, field, ClinicalLimits.Code)) return false;
        if (SurveillanceProtocols.ById.ContainsKey(protocol!)) return true;
        v.Add(field, $"unknown protocol; known: {string.Join(", ", All.Order(StringComparer.Ordinal))}");
        return false;
    }
}

/// <summary>The diagnosis department withdraws one of its own facts (contract: "Corrections"); occurredOn is the fact's.</summary>
public sealed record DiagnosisFactRetracted : DiagnosisEvent, IFactRetraction
{
    public required Guid RetractedEventId { get; init; }
    public required string Reason { get; init; }

    protected override void ValidateFact(FieldValidation v, DateOnly latest) => Corrections.CheckRetraction(v, this);
}
