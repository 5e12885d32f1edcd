using PatientJourney.Contracts;
using PatientJourney.DepartmentKit;
using PatientJourney.Contracts.Imaging;
using PatientJourney.Imaging.Response;

namespace PatientJourney.Imaging.PetCt;

public sealed record PetLesionRequest(string? LesionId, string? Site, decimal? SuvMax, decimal? LongestDiameterMm);

public sealed record ResultPetCt(DateOnly? PerformedOn, PetCtIndication? Indication, IReadOnlyList<PetLesionRequest?>? Lesions, string? Impression)
    : IValidatedRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        v.ClinicalDate(PerformedOn, "performedOn", today);
        v.Required(Indication, "indication");
        // A scan without avid lesions is a valid (complete metabolic response) result: an empty list is allowed.
        if (v.Required(Lesions, "lesions", nonEmpty: false))
        {
            v.Each(Lesions, "lesions", (l, f) =>
            {
                v.Required(l.LesionId, $"{f}.lesionId", ClinicalLimits.Id);
                v.Required(l.Site, $"{f}.site", ClinicalLimits.MediumText);
                if (v.Required(l.SuvMax, $"{f}.suvMax")) v.Range(l.SuvMax, $"{f}.suvMax", ClinicalLimits.SuvMax);
                v.Range(l.LongestDiameterMm, $"{f}.longestDiameterMm", ClinicalLimits.LesionMm);
            });
            if (Lesions!.Where(l => l?.LesionId is not null).GroupBy(l => l!.LesionId).Any(g => g.Count() > 1))
                v.Add("lesions", "lesionId must be unique within a scan");
        }
        v.MaxLength(Impression, "impression", ClinicalLimits.LongText);
    }
}

public static class ResultingPetCt
{
    public static void Map(IEndpointRouteBuilder patient) =>
        patient.MapCommand<ResultPetCt>("/pet-ct", Decide, clinicalDateField: "performedOn").WithName("RecordPetCt");

    public static Decision Decide(ResultPetCt r, CommandContext c)
    {
        var lesions = r.Lesions!.Select(l => new PetLesion(l!.LesionId!, l.Site!, l.SuvMax!.Value, l.LongestDiameterMm)).ToList();
        // The reference is the staging scan (the first one if none says staging), if it was done before this one.
        var earlier = c.History.OfType<PetCtResulted>().Where(p => p.OccurredOn < r.PerformedOn).OrderBy(p => p.OccurredOn).ToList();
        var baseline = earlier.FirstOrDefault(p => p.Indication == PetCtIndication.Staging) ?? earlier.FirstOrDefault();
        return new PetCtResulted
        {
            PatientId = c.PatientId,
            OccurredOn = r.PerformedOn!.Value,
            Indication = r.Indication!.Value,
            Lesions = lesions,
            Impression = r.Impression,
            MetabolicResponse = baseline is null ? null : EortcPet.Assess(baseline, lesions),
        };
    }
}
