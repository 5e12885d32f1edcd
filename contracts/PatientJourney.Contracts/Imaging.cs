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

/// <summary>
/// One lesion on a PET/CT. <paramref name="Avid"/> false: the radiologist reads its uptake as indistinguishable from
/// background (EORTC 1999 complete metabolic response for that lesion); null or true: avid.
/// </summary>
public sealed record PetLesion(string LesionId, string Site, decimal SuvMax, decimal? LongestDiameterMm, bool? Avid = null)
{
    public bool IsAvid => Avid ?? true;
}

public sealed record PetCtResulted : ImagingEvent
{
    public required PetCtIndication Indication { get; init; }
    public required IReadOnlyList<PetLesion> Lesions { get; init; }
    /// <summary>The background reference (SUVmax of the liver or mediastinal blood pool): a lesion at or below it is not avid.</summary>
    public decimal? BackgroundSuvMax { get; init; }
    public string? Impression { get; init; }
    /// <summary>Retired: events recorded before carry what imaging computed then.</summary>
    [Retired("No longer set: the journey derives EORTC responses from the measurements in clinical order (GET /patients/{patientId}/responses)")]
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
        v.Range(BackgroundSuvMax, "backgroundSuvMax", ClinicalLimits.SuvMax);
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
    /// <summary>Not evaluable: no staging scan to compare with.</summary>
    [JsonStringEnumMemberName("NE")] NotEvaluable,
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

/// <summary>
/// A RECIST 1.1 target lesion: longest diameter, or short axis for a lymph node. <paramref name="Organ"/> groups targets
/// for the two-per-organ rule (read from the site when absent; every lymph node is one organ).
/// </summary>
public sealed record TargetLesion(string LesionId, string Site, decimal LongestDiameterMm, bool LymphNode = false, string? Organ = null);

[JsonConverter(typeof(ContractEnumConverter<NonTargetStatus>))]
public enum NonTargetStatus
{
    [JsonStringEnumMemberName("present")] Present,
    /// <summary>Gone (a lymph node: back to a normal short axis, under 10 mm).</summary>
    [JsonStringEnumMemberName("absent")] Absent,
    [JsonStringEnumMemberName("unequivocal-progression")] UnequivocalProgression,
}

/// <summary>A RECIST 1.1 non-target lesion: followed by its status, not measured (section 4.3.2).</summary>
public sealed record NonTargetLesion(string LesionId, string Site, NonTargetStatus Status);

public sealed record CtResulted : ImagingEvent
{
    public required string Region { get; init; }
    public bool? Contrast { get; init; }
    public required IReadOnlyList<TargetLesion> TargetLesions { get; init; }
    /// <summary>Absent from events recorded before non-target lesions were in the contract: read as none.</summary>
    public IReadOnlyList<NonTargetLesion> NonTargetLesions { get; init; } = [];
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
                v.MaxLength(l.Organ, $"{f}.organ", ClinicalLimits.ShortText);
            });
            if (TargetLesions.Count > ClinicalLimits.MaxTargetLesions)
                v.Add("targetLesions", $"RECIST 1.1 allows at most {ClinicalLimits.MaxTargetLesions} target lesions");
        }
        if (NonTargetLesions is not null)
            v.Each(NonTargetLesions, "nonTargetLesions", (l, f) =>
            {
                v.Required(l.LesionId, $"{f}.lesionId", ClinicalLimits.Id);
                v.Required(l.Site, $"{f}.site", ClinicalLimits.MediumText);
                SharedChecks.IsDefined(v, l.Status, $"{f}.status");
            });
        SharedChecks.UniqueLesionIds(v, (TargetLesions ?? []).Select(l => l?.LesionId).Concat((NonTargetLesions ?? []).Select(l => l?.LesionId)), "targetLesions");
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
    /// <summary>Not evaluable: a baseline lesion was not assessed and what was assessed does not already prove PD.</summary>
    [JsonStringEnumMemberName("NE")] NotEvaluable,
    /// <summary>Non-target disease only (RECIST 1.1 table 2): neither gone nor unequivocally progressing.</summary>
    [JsonStringEnumMemberName("NON-CR/NON-PD")] NonCompleteNonProgressive,
}

/// <summary>
/// Retired: RECIST 1.1 response of one CT as the imaging department computed it when the CT was recorded. No longer
/// published: the journey derives every response from the measurements in clinical order, so a late or earlier CT
/// re-derives the later ones (GET /patients/{patientId}/responses). Kept so that events recorded before still read.
/// </summary>
[Retired("No longer published: the journey derives every RECIST 1.1 response from the CTs in clinical order (GET /patients/{patientId}/responses)")]
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

/// <summary>
/// A transthoracic echocardiogram: left ventricular ejection fraction (biplane Simpson or 3D) and, when measured, global
/// longitudinal strain (negative, as reported). It completes the patient's open <c>echocardiogram</c> item; the journey
/// compares it with the patient's first echocardiogram for cancer therapy-related cardiac dysfunction.
/// </summary>
public sealed record EchocardiogramResulted : ImagingEvent
{
    public required decimal LvefPercent { get; init; }
    public decimal? GlobalLongitudinalStrainPercent { get; init; }
    public string? Impression { get; init; }

    protected override void ValidateFact(FieldValidation v, DateOnly latest)
    {
        v.Range(LvefPercent, "lvefPercent", ClinicalLimits.LvefPercent);
        v.Range(GlobalLongitudinalStrainPercent, "globalLongitudinalStrainPercent", ClinicalLimits.GlobalLongitudinalStrainPercent);
        v.MaxLength(Impression, "impression", ClinicalLimits.LongText);
    }
}

/// <summary>The imaging department withdraws one of its own facts (contract: "Corrections"); occurredOn is the fact's.</summary>
public sealed record ImagingFactRetracted : ImagingEvent, IFactRetraction
{
    public required Guid RetractedEventId { get; init; }
    public required string Reason { get; init; }

    protected override void ValidateFact(FieldValidation v, DateOnly latest) => Corrections.CheckRetraction(v, this);
}
