using PatientJourney.Contracts.Imaging;

namespace PatientJourney.Imaging.Response;

/// <summary>
/// EORTC PET response criteria (Young et al., Eur J Cancer 1999;35:1773-1782), on the peak SUVmax against the
/// staging scan: uptake gone is complete (CMR); peak down more than 25% is partial (PMR); peak up more than 25%
/// or a new lesion is progressive (PMD); anything else is stable (SMD).
/// </summary>
public static class EortcPet
{
    public const decimal ThresholdPercent = 25m;

    public static MetabolicResponse Assess(PetCtResulted baseline, IReadOnlyList<PetLesion> lesions)
    {
        var before = baseline.Lesions.ToDictionary(l => l.LesionId, l => l.SuvMax, StringComparer.Ordinal);
        var changes = lesions.Select(l => before.TryGetValue(l.LesionId, out var was)
            ? new LesionMetabolicChange(l.LesionId, l.SuvMax, was, PercentChange.From(was, l.SuvMax))
            : new LesionMetabolicChange(l.LesionId, l.SuvMax, null, null)).ToList();
        var newLesions = changes.Any(c => c.BaselineSuvMax is null);
        var baselinePeak = baseline.Lesions.Count == 0 ? 0m : baseline.Lesions.Max(l => l.SuvMax);
        var peak = lesions.Count == 0 ? 0m : lesions.Max(l => l.SuvMax);
        // The threshold compares the uptake itself (a percentage rounded first would call +25.04 % stable); the
        // percentages in the response are for display.
        var threshold = baselinePeak * ThresholdPercent / 100m;
        var category =
            newLesions || peak - baselinePeak > threshold ? MetabolicCategory.ProgressiveMetabolicDisease
            : lesions.Count == 0 || peak == 0m ? MetabolicCategory.CompleteMetabolicResponse
            : baselinePeak - peak > threshold ? MetabolicCategory.PartialMetabolicResponse
            : MetabolicCategory.StableMetabolicDisease;
        return new MetabolicResponse(baseline.OccurredOn, baselinePeak, peak, PercentChange.From(baselinePeak, peak), changes, newLesions, category);
    }
}
