using System.Text.Json.Serialization;

namespace PatientJourney.Contracts.Chemotherapy;

public abstract record ChemotherapyEvent : ClinicalEvent
{
    public override string Department => Departments.Chemotherapy;
}

/// <summary>Contract v2: the chemotherapy department's events forwarded together, as one message.</summary>
public sealed record ChemotherapyEventBatch : ClinicalEventBatch<ChemotherapyEvent>;

[JsonConverter(typeof(ContractEnumConverter<DrugRoute>))]
public enum DrugRoute
{
    [JsonStringEnumMemberName("iv")] Iv,
    [JsonStringEnumMemberName("sc")] Sc,
    [JsonStringEnumMemberName("oral")] Oral,
}

[JsonConverter(typeof(ContractEnumConverter<DrugPurpose>))]
public enum DrugPurpose
{
    [JsonStringEnumMemberName("antineoplastic")] Antineoplastic,
    [JsonStringEnumMemberName("supportive")] Supportive,
}

/// <summary>One drug of a regimen: exactly one of the three doses is set, given on each listed cycle day.</summary>
public sealed record RegimenDrug(
    string Drug,
    decimal? DosePerM2Mg,
    decimal? DoseMg,
    decimal? DoseMicrograms,
    IReadOnlyList<int> Days,
    DrugRoute Route,
    DrugPurpose Purpose = DrugPurpose.Antineoplastic);

[JsonConverter(typeof(ContractEnumConverter<BsaFormula>))]
public enum BsaFormula
{
    [JsonStringEnumMemberName("mosteller")] Mosteller,
    [JsonStringEnumMemberName("dubois")] DuBois,
}

public sealed record ChemoRegimenStarted : ChemotherapyEvent
{
    public required string RegimenId { get; init; }
    public required string Name { get; init; }
    public required int CycleLengthDays { get; init; }
    public required decimal HeightCm { get; init; }
    public required decimal WeightKg { get; init; }
    /// <summary>Body surface area by <see cref="BsaFormula"/> (Mosteller unless asked), rounded to 2 decimals.</summary>
    public required decimal BsaM2 { get; init; }
    public BsaFormula BsaFormula { get; init; } = BsaFormula.Mosteller;
    public required IReadOnlyList<RegimenDrug> Drugs { get; init; }
}

/// <summary>What was given of one drug: on each of its days, and over the whole cycle.</summary>
public sealed record AdministeredDrug(string Drug, decimal DosePerDayMg, int Days, decimal DoseMg, DrugRoute Route, DrugPurpose Purpose);

public sealed record ChemoCycleCompleted : ChemotherapyEvent
{
    public required string RegimenId { get; init; }
    public required int CycleNumber { get; init; }
    public required DateOnly StartedOn { get; init; }
    /// <summary>Equal to <see cref="ClinicalEvent.OccurredOn"/>.</summary>
    public DateOnly CompletedOn => OccurredOn;
    public decimal? WeightKg { get; init; }
    public decimal? DoseReductionPercent { get; init; }
    public required decimal BsaM2 { get; init; }
    public required IReadOnlyList<AdministeredDrug> Drugs { get; init; }
    /// <summary>The regimen's cumulative doxorubicin after this cycle.</summary>
    public required decimal CumulativeDoxorubicinMgPerM2 { get; init; }
}

public sealed record ChemoRegimenStopped : ChemotherapyEvent
{
    public required string RegimenId { get; init; }
    public required string Reason { get; init; }
}

public sealed record AdverseEventRecorded : ChemotherapyEvent
{
    public required string Term { get; init; }
    /// <summary>CTCAE grade 1-5.</summary>
    public required int Grade { get; init; }
    public string? Attribution { get; init; }
    public string? Treatment { get; init; }
}
