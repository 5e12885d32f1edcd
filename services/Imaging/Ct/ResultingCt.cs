using PatientJourney.Contracts;
using PatientJourney.DepartmentKit;
using PatientJourney.Contracts.Imaging;

namespace PatientJourney.Imaging.Ct;

public sealed record TargetLesionRequest(string? LesionId, string? Site, decimal? LongestDiameterMm, bool? LymphNode, string? Organ);

public sealed record NonTargetLesionRequest(string? LesionId, string? Site, NonTargetStatus? Status);

public sealed record ResultCt(
    DateOnly? PerformedOn, string? Region, bool? Contrast, IReadOnlyList<TargetLesionRequest?>? TargetLesions,
    IReadOnlyList<NonTargetLesionRequest?>? NonTargetLesions, bool? NewLesions, string? Impression)
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
                v.MaxLength(l.Organ, $"{f}.organ", ClinicalLimits.ShortText);
            });
            if (TargetLesions!.Count > ClinicalLimits.MaxTargetLesions) v.Add("targetLesions", $"RECIST 1.1 allows at most {ClinicalLimits.MaxTargetLesions} target lesions");
        }
        v.Each(NonTargetLesions, "nonTargetLesions", (l, f) =>
        {
            v.Required(l.LesionId, $"{f}.lesionId", ClinicalLimits.Id);
            v.Required(l.Site, $"{f}.site", ClinicalLimits.MediumText);
            v.Required(l.Status, $"{f}.status");
        });
        SharedChecks.UniqueLesionIds(v, (TargetLesions ?? []).Select(l => l?.LesionId).Concat((NonTargetLesions ?? []).Select(l => l?.LesionId)), "targetLesions");
        v.MaxLength(Impression, "impression", ClinicalLimits.LongText);
    }
}

/// <summary>
/// A CT's measurements. The department checks them against RECIST 1.1's rules for the lesions; the response they make
/// is derived by the journey, from every CT in clinical order.
/// </summary>
public static class ResultingCt
{
    public static void Map(IEndpointRouteBuilder patient) =>
        patient.MapCommand<ResultCt>("/ct", Decide, clinicalDateField: "performedOn").Records<CtResulted>().WithName("RecordCt");

    public static Decision Decide(ResultCt r, CommandContext c)
    {
        var ct = new CtResulted
        {
            PatientId = c.PatientId,
            OccurredOn = r.PerformedOn!.Value,
            Region = r.Region!,
            Contrast = r.Contrast,
            TargetLesions = r.TargetLesions!.Select(l => new TargetLesion(l!.LesionId!, l.Site!, l.LongestDiameterMm!.Value, l.LymphNode ?? false, l.Organ?.Trim())).ToList(),
            NonTargetLesions = (r.NonTargetLesions ?? []).Select(l => new NonTargetLesion(l!.LesionId!, l.Site!, l.Status!.Value)).ToList(),
            NewLesions = r.NewLesions ?? false,
            Impression = r.Impression,
        };

        var earlier = c.History.OfType<CtResulted>().ToList();
        var baseline = RecistLesions.Baseline(earlier);
        // On the baseline's day, a CT recorded after it is a follow-up; one dated before it becomes the baseline.
        if (baseline is not null && ct.OccurredOn >= baseline.OccurredOn) return RecistLesions.CheckFollowUp(ct, baseline);
        return RecistLesions.HasLesions(ct) ? RecistLesions.CheckBaseline(ct, earlier.Where(RecistLesions.HasLesions).ToList()) : ct;
    }
}
