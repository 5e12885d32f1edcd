using PatientJourney.Contracts;
using PatientJourney.DepartmentKit;
using PatientJourney.Contracts.Imaging;

namespace PatientJourney.Imaging.PetCt;

public sealed record PetLesionRequest(string? LesionId, string? Site, decimal? SuvMax, decimal? LongestDiameterMm, bool? Avid);

public sealed record ResultPetCt(
    DateOnly? PerformedOn, PetCtIndication? Indication, IReadOnlyList<PetLesionRequest?>? Lesions, decimal? BackgroundSuvMax, string? Impression)
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
        v.Range(BackgroundSuvMax, "backgroundSuvMax", ClinicalLimits.SuvMax);
        v.MaxLength(Impression, "impression", ClinicalLimits.LongText);
    }
}

/// <summary>A PET/CT's lesions; the EORTC response they make is derived by the journey, with the chemotherapy it sees.</summary>
public static class ResultingPetCt
{
    public static void Map(IEndpointRouteBuilder patient) =>
        patient.MapCommand<ResultPetCt>("/pet-ct", Decide, clinicalDateField: "performedOn").Records<PetCtResulted>().WithName("RecordPetCt");

    public static Decision Decide(ResultPetCt r, CommandContext c) => new PetCtResulted
    {
        PatientId = c.PatientId,
        OccurredOn = r.PerformedOn!.Value,
        Indication = r.Indication!.Value,
        Lesions = r.Lesions!.Select(l => new PetLesion(l!.LesionId!, l.Site!, l.SuvMax!.Value, l.LongestDiameterMm, l.Avid)).ToList(),
        BackgroundSuvMax = r.BackgroundSuvMax,
        Impression = r.Impression,
    };
}
