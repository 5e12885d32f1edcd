using PatientJourney.Contracts;
using PatientJourney.DepartmentKit;
using PatientJourney.Contracts.Imaging;
using PatientJourney.Imaging.Response;

namespace PatientJourney.Imaging.Ct;

public sealed record TargetLesionRequest(string? LesionId, string? Site, decimal? LongestDiameterMm, bool? LymphNode);

public sealed record ResultCt(
    DateOnly? PerformedOn, string? Region, bool? Contrast, IReadOnlyList<TargetLesionRequest?>? TargetLesions, bool? NewLesions, string? Impression)
    : IValidatedRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        v.ClinicalDate(PerformedOn, "performedOn", today);
        v.Required(Region, "region", ClinicalLimits.ShortText);
        if (v.Required(TargetLesions, "targetLesions", nonEmpty: false))
        {
            v.Each(TargetLesions, "targetLesions", (l, f) =>
            {
                v.Required(l.LesionId, $"{f}.lesionId", ClinicalLimits.Id);
                v.Required(l.Site, $"{f}.site", ClinicalLimits.MediumText);
                if (v.Required(l.LongestDiameterMm, $"{f}.longestDiameterMm")) v.Range(l.LongestDiameterMm, $"{f}.longestDiameterMm", ClinicalLimits.LesionMm);
            });
            // RECIST 1.1: at most 5 target lesions, 2 per organ; the per-organ rule needs coded sites, so only the total is checked.
            if (TargetLesions!.Count > ClinicalLimits.MaxTargetLesions) v.Add("targetLesions", $"RECIST 1.1 allows at most {ClinicalLimits.MaxTargetLesions} target lesions");
            SharedChecks.UniqueLesionIds(v, TargetLesions.Select(l => l?.LesionId), "targetLesions");
        }
        v.MaxLength(Impression, "impression", ClinicalLimits.LongText);
    }
}

public static class ResultingCt
{
    public static void Map(IEndpointRouteBuilder patient) =>
        patient.MapCommand<ResultCt>("/ct", Decide, clinicalDateField: "performedOn").WithName("RecordCt");

    public static Decision Decide(ResultCt r, CommandContext c)
    {
        var ct = new CtResulted
        {
            EventId = Guid.CreateVersion7(),
            PatientId = c.PatientId,
            OccurredOn = r.PerformedOn!.Value,
            Region = r.Region!,
            Contrast = r.Contrast,
            TargetLesions = r.TargetLesions!.Select(l => new TargetLesion(l!.LesionId!, l.Site!, l.LongestDiameterMm!.Value, l.LymphNode ?? false)).ToList(),
            NewLesions = r.NewLesions ?? false,
            Impression = r.Impression,
        };

        // The first CT with target lesions is the baseline; every later one is assessed against it.
        var earlierCts = c.History.OfType<CtResulted>().Where(x => x.OccurredOn <= ct.OccurredOn).OrderBy(x => x.OccurredOn).ThenBy(x => x.RecordedAt).ToList();
        var baseline = earlierCts.FirstOrDefault(x => x.TargetLesions.Count > 0);
        if (baseline is null) return ct;

        var sinceBaseline = c.History.OfType<ResponseAssessed>()
            .Where(a => a.BaselineOn == baseline.OccurredOn && a.OccurredOn <= ct.OccurredOn).ToList();
        var assessment = Recist.Assess(ct.TargetLesions, ct.NewLesions, Recist.SumOfDiametersMm(baseline.TargetLesions),
            sinceBaseline.Select(a => a.SumOfDiametersMm), sinceBaseline.Any(a => a.Category == RecistCategory.CompleteResponse));
        var response = new ResponseAssessed
        {
            PatientId = c.PatientId,
            OccurredOn = ct.OccurredOn,
            CtEventId = ct.EventId,
            BaselineOn = baseline.OccurredOn,
            SumOfDiametersMm = assessment.SumMm,
            BaselineSumMm = assessment.BaselineSumMm,
            NadirSumMm = assessment.NadirSumMm,
            ChangeFromBaselinePercent = assessment.ChangeFromBaselinePercent,
            ChangeFromNadirPercent = assessment.ChangeFromNadirPercent,
            Category = assessment.Category,
        };
        return Decision.Record(ct, response);
    }
}
