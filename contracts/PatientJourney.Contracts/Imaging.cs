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

    protected override void ValidateFact(FieldValidation v, DateOnly latest)
    {
        SharedChecks.IsDefined(v, Indication, "indication");
        if (v.Required(Lesions, "lesions", nonEmpty: false))
        {
            v.Each(Lesions, "lesions", (l, f) =>
            {
                v.Required(l.LesionId, $"{f}.lesionId", ClinicalLimits.Id);
                v.Required(l.Site, $"{f}.site", ClinicalLimits.MediumText);
                v.Range(l.SuvMax, $"{f}.suvMax", ClinicalLimits.SuvMax);
                v.Range(l.LongestDiameterMm, $"{f}.longestDiameterMm", ClinicalLimits.LesionMm);
            });
            SharedChecks.UniqueLesionIds(v, Lesions.Select(l => l?.LesionId), "lesions");
        }
        v.MaxLength(Impression, "impression", ClinicalLimits.LongText);
        if (MetabolicResponse is { } response)
        {
            v.ClinicalDate(response.BaselineOn, "metabolicResponse.baselineOn", latest);
            SharedChecks.IsDefined(v, response.Category, "metabolicResponse.category");
        }
    }
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

    protected override void ValidateFact(FieldValidation v, DateOnly latest)
    {
        v.Required(Region, "region", ClinicalLimits.ShortText);
        if (v.Required(TargetLesions, "targetLesions", nonEmpty: false))
        {
            v.Each(TargetLesions, "targetLesions", (l, f) =>
            {
                v.Required(l.LesionId, $"{f}.lesionId", ClinicalLimits.Id);
                v.Required(l.Site, $"{f}.site", ClinicalLimits.MediumText);
                v.Range(l.LongestDiameterMm, $"{f}.longestDiameterMm", ClinicalLimits.LesionMm);
            });
            if (TargetLesions.Count > ClinicalLimits.MaxTargetLesions)
                v.Add("targetLesions", $"RECIST 1.1 allows at most {ClinicalLimits.MaxTargetLesions} target lesions");
            SharedChecks.UniqueLesionIds(v, TargetLesions.Select(l => l?.LesionId), "targetLesions");
        }
        v.MaxLength(Impression, "impression", ClinicalLimits.LongText);
    }
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

    protected override void ValidateFact(FieldValidation v, DateOnly latest)
    {
        if (CtEventId == Guid.Empty) v.Add("ctEventId", "is required");
        v.ClinicalDate(BaselineOn, "baselineOn", latest);
        v.Range(SumOfDiametersMm, "sumOfDiametersMm", ClinicalLimits.SumOfDiametersMm);
        v.Range(BaselineSumMm, "baselineSumMm", ClinicalLimits.SumOfDiametersMm);
        v.Range(NadirSumMm, "nadirSumMm", ClinicalLimits.SumOfDiametersMm);
        v.Range(ChangeFromBaselinePercent, "changeFromBaselinePercent", ClinicalLimits.ChangePercent);
        v.Range(ChangeFromNadirPercent, "changeFromNadirPercent", ClinicalLimits.ChangePercent);
        SharedChecks.IsDefined(v, Category, "category");
    }
}
