using System.Text.Json.Serialization;

namespace PatientJourney.Contracts.Imaging;

public abstract record ImagingEvent : ClinicalEvent
{
    public override string Department => Departments.Imaging;
}

/// <summary>Contract v2: the imaging department's events forwarded together, as one message.</summary>
public sealed record ImagingEventBatch : ClinicalEventBatch<ImagingEvent>;

[JsonConverter(typeof(ContractEnumConverter<PetCtIndication>))]
public enum PetCtIndication
{
    [JsonStringEnumMemberName("staging")] Staging,
    [JsonStringEnumMemberName("response")] Response,
    [JsonStringEnumMemberName("surveillance")] Surveillance,
}

public sealed record PetLesion(string LesionId, string Site, decimal SuvMax, decimal? LongestDiameterMm);

public sealed record PetCtResulted : ImagingEvent
{
    public required PetCtIndication Indication { get; init; }
    public required IReadOnlyList<PetLesion> Lesions { get; init; }
    public string? Impression { get; init; }
    /// <summary>EORTC metabolic response against the patient's staging PET/CT; null for the staging scan itself.</summary>
    public MetabolicResponse? MetabolicResponse { get; init; }
}

[JsonConverter(typeof(ContractEnumConverter<MetabolicCategory>))]
public enum MetabolicCategory
{
    [JsonStringEnumMemberName("CMR")] CompleteMetabolicResponse,
    [JsonStringEnumMemberName("PMR")] PartialMetabolicResponse,
    [JsonStringEnumMemberName("SMD")] StableMetabolicDisease,
    [JsonStringEnumMemberName("PMD")] ProgressiveMetabolicDisease,
}

/// <summary>One lesion's SUVmax against the same lesion (by lesionId) on the staging scan; a new lesion has no baseline.</summary>
public sealed record LesionMetabolicChange(string LesionId, decimal SuvMax, decimal? BaselineSuvMax, decimal? ChangePercent);

public sealed record MetabolicResponse(
    DateOnly BaselineOn,
    decimal BaselinePeakSuvMax,
    decimal PeakSuvMax,
    decimal PeakChangePercent,
    IReadOnlyList<LesionMetabolicChange> Lesions,
    bool NewLesions,
    MetabolicCategory Category);

/// <summary>A RECIST 1.1 target lesion: longest diameter, or short axis for a lymph node.</summary>
public sealed record TargetLesion(string LesionId, string Site, decimal LongestDiameterMm, bool LymphNode = false);

public sealed record CtResulted : ImagingEvent
{
    public required string Region { get; init; }
    public bool? Contrast { get; init; }
    public required IReadOnlyList<TargetLesion> TargetLesions { get; init; }
    public bool NewLesions { get; init; }
    public string? Impression { get; init; }
}

[JsonConverter(typeof(ContractEnumConverter<RecistCategory>))]
public enum RecistCategory
{
    [JsonStringEnumMemberName("CR")] CompleteResponse,
    [JsonStringEnumMemberName("PR")] PartialResponse,
    [JsonStringEnumMemberName("SD")] StableDisease,
    [JsonStringEnumMemberName("PD")] ProgressiveDisease,
}

/// <summary>RECIST 1.1 response of one CT against the patient's baseline and nadir.</summary>
public sealed record ResponseAssessed : ImagingEvent
{
    public required Guid CtEventId { get; init; }
    public required DateOnly BaselineOn { get; init; }
    public required decimal SumOfDiametersMm { get; init; }
    public required decimal BaselineSumMm { get; init; }
    public required decimal NadirSumMm { get; init; }
    public required decimal ChangeFromBaselinePercent { get; init; }
    public required decimal ChangeFromNadirPercent { get; init; }
    public required RecistCategory Category { get; init; }
}
