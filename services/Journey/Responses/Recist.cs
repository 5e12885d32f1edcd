using PatientJourney.Contracts.Imaging;

namespace PatientJourney.Journey.Responses;

/// <summary>One CT's RECIST 1.1 response against the patient's baseline CT and the nadir before it.</summary>
/// <param name="SumOfDiametersMm">Sum of the baseline targets measured on this CT (long axis; short axis for nodes).</param>
/// <param name="NadirSumMm">The smallest sum before this CT with every target measured, the baseline's included.</param>
/// <param name="ChangeFromBaselinePercent">For display, to 0.1 %; none when a target was not measured (the sum is not comparable).</param>
/// <param name="ChangeFromNadirPercent">As above; none also when the nadir is 0 (no percentage of 0 exists).</param>
/// <param name="TargetResponse">Target lesion response; none when the baseline has no target lesion.</param>
/// <param name="NonTargetResponse">Non-target lesion response; none when the baseline has no non-target lesion.</param>
/// <param name="NotAssessed">Baseline lesions this CT did not report: a response is NE unless PD is proven without them.</param>
public sealed record RecistAssessment(
    Guid CtEventId,
    DateOnly AssessedOn,
    Guid BaselineCtEventId,
    DateOnly BaselineOn,
    decimal SumOfDiametersMm,
    decimal BaselineSumMm,
    decimal NadirSumMm,
    decimal? ChangeFromBaselinePercent,
    decimal? ChangeFromNadirPercent,
    RecistCategory? TargetResponse,
    RecistCategory? NonTargetResponse,
    bool NewLesions,
    IReadOnlyList<string> NotAssessed,
    RecistCategory Category);

/// <summary>
/// RECIST 1.1 (Eisenhauer et al., Eur J Cancer 2009;45:228-247): target response by the sum of diameters (section
/// 4.3.1), non-target response by status (section 4.3.2), new lesions (section 4.3.3), and the overall response of
/// table 1 (targets and non-targets) or table 2 (non-targets only). Thresholds compare the measurements themselves;
/// percentages are for display.
/// </summary>
public static class Recist
{
    /// <summary>A node under 10 mm short axis is normal (section 4.3.1, CR).</summary>
    public const decimal NormalNodeMm = 10m;

    /// <param name="earlierCompleteSums">Sums of the earlier follow-ups since the baseline that measured every target.</param>
    /// <param name="completeResponseReached">An earlier follow-up since the baseline had a complete target response.</param>
    public static RecistAssessment Assess(CtResulted baseline, CtResulted ct, IEnumerable<decimal> earlierCompleteSums, bool completeResponseReached)
    {
        var measured = ct.TargetLesions.ToDictionary(l => l.LesionId, StringComparer.Ordinal);
        var targets = baseline.TargetLesions.Select(b => (Baseline: b, Now: measured.GetValueOrDefault(b.LesionId))).ToList();
        var missingTargets = targets.Where(t => t.Now is null).Select(t => t.Baseline.LesionId).ToList();
        var reported = ct.NonTargetLesions.ToDictionary(l => l.LesionId, StringComparer.Ordinal);
        var missingNonTargets = baseline.NonTargetLesions.Where(b => !reported.ContainsKey(b.LesionId)).Select(b => b.LesionId).ToList();

        var baselineSum = baseline.TargetLesions.Sum(l => l.LongestDiameterMm);
        var sum = targets.Where(t => t.Now is not null).Sum(t => t.Now!.LongestDiameterMm);
        var nadir = earlierCompleteSums.Append(baselineSum).Min();
        var allMeasured = missingTargets.Count == 0;

        RecistCategory? target = null;
        if (targets.Count > 0)
        {
            var increase = sum - nadir;
            // At least 20 % and at least 5 mm over the nadir; the measured targets alone can prove it (section 4.3.1).
            var progressed = increase >= 5m && increase * 5m >= nadir;
            var normal = targets.Where(t => t.Now is not null).Select(t => IsNormal(t.Now!, t.Baseline.LymphNode)).ToList();
            // A target back after a complete response is progression, whatever its size (RECIST 1.1 update and
            // clarification, Schwartz et al., Eur J Cancer 2016;62:132-137): no percentage of a nadir of 0 exists.
            var reappeared = completeResponseReached && normal.Any(n => !n);
            target = progressed || reappeared ? RecistCategory.ProgressiveDisease
                : !allMeasured ? RecistCategory.NotEvaluable
                : normal.All(n => n) ? RecistCategory.CompleteResponse
                : (sum - baselineSum) * 10m <= -3m * baselineSum ? RecistCategory.PartialResponse // at least 30 % below the baseline
                : RecistCategory.StableDisease;
        }

        RecistCategory? nonTarget = null;
        if (baseline.NonTargetLesions.Count > 0)
        {
            var statuses = baseline.NonTargetLesions.Where(b => reported.ContainsKey(b.LesionId)).Select(b => reported[b.LesionId].Status).ToList();
            nonTarget = ct.NonTargetLesions.Any(l => l.Status == NonTargetStatus.UnequivocalProgression) ? RecistCategory.ProgressiveDisease
                : missingNonTargets.Count > 0 ? RecistCategory.NotEvaluable
                : statuses.All(s => s == NonTargetStatus.Absent) ? RecistCategory.CompleteResponse
                : RecistCategory.NonCompleteNonProgressive;
        }

        return new RecistAssessment(ct.EventId, ct.OccurredOn, baseline.EventId, baseline.OccurredOn, sum, baselineSum, nadir,
            allMeasured ? PercentChange.From(baselineSum, sum) : null, allMeasured ? PercentChange.From(nadir, sum) : null,
            target, nonTarget, ct.NewLesions, [.. missingTargets, .. missingNonTargets], Overall(target, nonTarget, ct.NewLesions));
    }

    /// <summary>Table 1 (target lesions, with or without non-targets) and table 2 (non-target lesions only).</summary>
    public static RecistCategory Overall(RecistCategory? target, RecistCategory? nonTarget, bool newLesions)
    {
        if (newLesions || target == RecistCategory.ProgressiveDisease || nonTarget == RecistCategory.ProgressiveDisease)
            return RecistCategory.ProgressiveDisease;
        return target switch
        {
            null => nonTarget ?? RecistCategory.NotEvaluable, // table 2: CR, NON-CR/NON-PD or NE as the non-targets are
            RecistCategory.NotEvaluable => RecistCategory.NotEvaluable,
            // A complete target response with non-targets still there (or not all assessed) is a partial response.
            RecistCategory.CompleteResponse => nonTarget is null or RecistCategory.CompleteResponse ? RecistCategory.CompleteResponse : RecistCategory.PartialResponse,
            _ => target.Value, // PR or SD, whatever the non-targets that did not progress
        };
    }

    /// <summary>Gone: a non-nodal target at 0 mm, a node back under 10 mm short axis.</summary>
    public static bool IsNormal(TargetLesion now, bool nodeAtBaseline) =>
        nodeAtBaseline || now.LymphNode ? now.LongestDiameterMm < NormalNodeMm : now.LongestDiameterMm == 0m;
}
