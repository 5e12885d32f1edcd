using PatientJourney.Contracts.Imaging;

namespace PatientJourney.Imaging.Response;

/// <summary>
/// RECIST 1.1 target-lesion response (Eisenhauer et al., Eur J Cancer 2009;45:228-247, section 4.3.1): sum of diameters
/// (short axis for lymph nodes) against the baseline and the smallest sum since (the nadir).
/// </summary>
public static class Recist
{
    public sealed record Assessment(decimal SumMm, decimal BaselineSumMm, decimal NadirSumMm, decimal ChangeFromBaselinePercent, decimal ChangeFromNadirPercent, RecistCategory Category);

    public static decimal SumOfDiametersMm(IEnumerable<TargetLesion> lesions) => lesions.Sum(l => l.LongestDiameterMm);

    /// <param name="earlierSumsMm">Sums of every earlier assessment since the baseline, the baseline included (for the nadir).</param>
    /// <param name="completeResponseReached">An earlier assessment since the baseline was a complete response.</param>
    public static Assessment Assess(
        IReadOnlyList<TargetLesion> lesions, bool newLesions, decimal baselineSumMm, IEnumerable<decimal> earlierSumsMm, bool completeResponseReached = false)
    {
        var sum = SumOfDiametersMm(lesions);
        var nadir = earlierSumsMm.Append(baselineSumMm).Min();
        // The thresholds compare the measurements themselves: a percentage rounded first would call -29.95 % a PR and
        // +19.95 % a PD. The percentages in the assessment are for display.
        var increaseOverNadir = sum - nadir;
        var progressed = increaseOverNadir >= 5m && increaseOverNadir * 5m >= nadir; // at least 20 % and at least 5 mm over the nadir
        var complete = lesions.All(l => l.LymphNode ? l.LongestDiameterMm < 10m : l.LongestDiameterMm == 0m);
        var category =
            newLesions || progressed ? RecistCategory.ProgressiveDisease
            // A target lesion back after a complete response is progression, whatever its size (RECIST 1.1 update and
            // clarification, Schwartz et al., Eur J Cancer 2016;62:132-137): a nadir of 0 makes no percentage to compare.
            : completeResponseReached && !complete ? RecistCategory.ProgressiveDisease
            : complete ? RecistCategory.CompleteResponse
            : (sum - baselineSumMm) * 10m <= -3m * baselineSumMm ? RecistCategory.PartialResponse // at least 30 % below the baseline
            : RecistCategory.StableDisease;
        return new Assessment(sum, baselineSumMm, nadir, PercentChange.From(baselineSumMm, sum), PercentChange.From(nadir, sum), category);
    }
}
