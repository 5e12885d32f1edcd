using PatientJourney.Contracts.Imaging;

namespace PatientJourney.Imaging.Response;

/// <summary>
/// RECIST 1.1 target-lesion response (Eisenhauer et al., Eur J Cancer 2009;45:228-247): sum of diameters
/// (short axis for lymph nodes) against the baseline and the smallest sum since (the nadir).
/// </summary>
public static class Recist
{
    public sealed record Assessment(decimal SumMm, decimal BaselineSumMm, decimal NadirSumMm, decimal ChangeFromBaselinePercent, decimal ChangeFromNadirPercent, RecistCategory Category);

    public static decimal SumOfDiametersMm(IEnumerable<TargetLesion> lesions) => lesions.Sum(l => l.LongestDiameterMm);

    /// <param name="earlierSumsMm">Sums of every earlier assessment since the baseline, the baseline included (for the nadir).</param>
    public static Assessment Assess(IReadOnlyList<TargetLesion> lesions, bool newLesions, decimal baselineSumMm, IEnumerable<decimal> earlierSumsMm)
    {
        var sum = SumOfDiametersMm(lesions);
        var nadir = earlierSumsMm.Append(baselineSumMm).Min();
        var fromBaseline = PercentChange.From(baselineSumMm, sum);
        var fromNadir = PercentChange.From(nadir, sum);
        var category =
            newLesions || (sum - nadir >= 5m && fromNadir >= 20m) ? RecistCategory.ProgressiveDisease
            : lesions.All(l => l.LymphNode ? l.LongestDiameterMm < 10m : l.LongestDiameterMm == 0m) ? RecistCategory.CompleteResponse
            : fromBaseline <= -30m ? RecistCategory.PartialResponse
            : RecistCategory.StableDisease;
        return new Assessment(sum, baselineSumMm, nadir, fromBaseline, fromNadir, category);
    }
}
