using System.Text.Json.Serialization;
using PatientJourney.Contracts.Imaging;

namespace PatientJourney.Journey.Responses;

[JsonConverter(typeof(JsonStringEnumConverter<MetabolicLesionStatus>))]
public enum MetabolicLesionStatus
{
    [JsonStringEnumMemberName("avid")] Avid,
    [JsonStringEnumMemberName("progressed")] Progressed,
    /// <summary>Uptake at background: reported not avid, at or below the background reference, or no longer listed.</summary>
    [JsonStringEnumMemberName("resolved")] Resolved,
    [JsonStringEnumMemberName("new")] New,
}

/// <summary>
/// One lesion's uptake against the staging scan. A baseline lesion the scan does not list had no avid uptake left
/// (a PET report lists the avid lesions): its SuvMax is the background, or none.
/// </summary>
public sealed record LesionUptake(string LesionId, string Site, decimal? BaselineSuvMax, decimal? SuvMax, decimal? ChangePercent, MetabolicLesionStatus Status);

/// <param name="CyclesSinceBaseline">Chemotherapy cycles started between the staging scan and this one.</param>
/// <param name="ResponseThresholdPercent">The fall in peak SUVmax that makes a partial response after those cycles.</param>
public sealed record MetabolicAssessment(
    Guid PetEventId,
    DateOnly AssessedOn,
    Guid BaselinePetEventId,
    DateOnly BaselineOn,
    int CyclesSinceBaseline,
    decimal ResponseThresholdPercent,
    decimal BaselinePeakSuvMax,
    decimal PeakSuvMax,
    decimal? PeakChangePercent,
    IReadOnlyList<LesionUptake> Lesions,
    bool NewUptake,
    MetabolicCategory Category);

/// <summary>
/// EORTC PET response criteria (Young et al., Eur J Cancer 1999;35:1773-1782, "Response classification"): progression
/// is any baseline lesion's SUVmax up more than 25 %, its extent up more than 20 % in longest dimension, or new avid
/// uptake; a partial response is the peak SUVmax of the baseline lesions down at least 15 % after one cycle of
/// chemotherapy, more than 25 % after more; complete when every lesion's uptake is indistinguishable from background
/// (reported not avid, or at or below the background reference). Comparisons are exact; percentages are for display.
/// </summary>
public static class EortcPet
{
    public const decimal ProgressionPercent = 25m;
    public const decimal ExtentPercent = 20m;
    public const decimal AfterOneCyclePercent = 15m;
    public const decimal AfterMoreCyclesPercent = 25m;

    public static MetabolicAssessment Assess(PetCtResulted baseline, PetCtResulted pet, int cyclesSinceBaseline)
    {
        var background = pet.BackgroundSuvMax;
        bool AtBackground(PetLesion l) => !l.IsAvid || (background is { } b && l.SuvMax <= b);
        var now = pet.Lesions.ToDictionary(l => l.LesionId, StringComparer.Ordinal);
        var known = baseline.Lesions.Select(l => l.LesionId).ToHashSet(StringComparer.Ordinal);

        var lesions = baseline.Lesions.Select(was =>
        {
            if (!now.TryGetValue(was.LesionId, out var l))
                return new LesionUptake(was.LesionId, was.Site, was.SuvMax, background, null, MetabolicLesionStatus.Resolved);
            var progressed = !AtBackground(l) && ((l.SuvMax - was.SuvMax) * 100m > ProgressionPercent * was.SuvMax
                || l.LongestDiameterMm is { } mm && was.LongestDiameterMm is { } wasMm && (mm - wasMm) * 100m > ExtentPercent * wasMm);
            var status = AtBackground(l) ? MetabolicLesionStatus.Resolved : progressed ? MetabolicLesionStatus.Progressed : MetabolicLesionStatus.Avid;
            return new LesionUptake(l.LesionId, l.Site, was.SuvMax, l.SuvMax, PercentChange.From(was.SuvMax, l.SuvMax), status);
        }).ToList();
        var appeared = pet.Lesions.Where(l => !known.Contains(l.LesionId))
            .Select(l => new LesionUptake(l.LesionId, l.Site, null, l.SuvMax, null, AtBackground(l) ? MetabolicLesionStatus.Resolved : MetabolicLesionStatus.New)).ToList();
        var newUptake = appeared.Any(l => l.Status == MetabolicLesionStatus.New);

        var baselinePeak = baseline.Lesions.Count == 0 ? 0m : baseline.Lesions.Max(l => l.SuvMax);
        var peak = lesions.Count == 0 ? 0m : lesions.Max(l => l.SuvMax ?? 0m);
        var threshold = cyclesSinceBaseline == 1 ? AfterOneCyclePercent : AfterMoreCyclesPercent;
        var fall = (baselinePeak - peak) * 100m;
        var category =
            newUptake || lesions.Any(l => l.Status == MetabolicLesionStatus.Progressed) ? MetabolicCategory.ProgressiveMetabolicDisease
            : baseline.Lesions.Count == 0 ? MetabolicCategory.NotEvaluable // no avid disease at staging: nothing to respond
            : lesions.All(l => l.Status == MetabolicLesionStatus.Resolved) ? MetabolicCategory.CompleteMetabolicResponse
            : cyclesSinceBaseline == 1 ? (fall >= threshold * baselinePeak ? MetabolicCategory.PartialMetabolicResponse : MetabolicCategory.StableMetabolicDisease)
            : fall > threshold * baselinePeak ? MetabolicCategory.PartialMetabolicResponse
            : MetabolicCategory.StableMetabolicDisease;
        return new MetabolicAssessment(pet.EventId, pet.OccurredOn, baseline.EventId, baseline.OccurredOn, cyclesSinceBaseline, threshold,
            baselinePeak, peak, PercentChange.From(baselinePeak, peak), [.. lesions, .. appeared], newUptake, category);
    }
}
