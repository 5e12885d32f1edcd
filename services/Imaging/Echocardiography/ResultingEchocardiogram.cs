using PatientJourney.Contracts;
using PatientJourney.Contracts.Imaging;
using PatientJourney.DepartmentKit;

namespace PatientJourney.Imaging.Echocardiography;

public sealed record ResultEchocardiogram(DateOnly? PerformedOn, decimal? LvefPercent, decimal? GlobalLongitudinalStrainPercent, string? Impression) : IValidatedRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        v.ClinicalDate(PerformedOn, "performedOn", today);
        if (v.Required(LvefPercent, "lvefPercent")) v.Range(LvefPercent, "lvefPercent", ClinicalLimits.LvefPercent);
        v.Range(GlobalLongitudinalStrainPercent, "globalLongitudinalStrainPercent", ClinicalLimits.GlobalLongitudinalStrainPercent);
        v.MaxLength(Impression, "impression", ClinicalLimits.LongText);
    }
}

/// <summary>
/// A transthoracic echocardiogram's function measures. What they mean (cardiac dysfunction against the first one) is the
/// journey's to derive, from every echocardiogram in clinical order, as it derives responses from CTs.
/// </summary>
public static class ResultingEchocardiogram
{
    public static void Map(IEndpointRouteBuilder patient) =>
        patient.MapCommand<ResultEchocardiogram>("/echocardiograms", Decide, clinicalDateField: "performedOn").Records<EchocardiogramResulted>().WithName("RecordEchocardiogram");

    public static Decision Decide(ResultEchocardiogram r, CommandContext c) => new EchocardiogramResulted
    {
        PatientId = c.PatientId,
        OccurredOn = r.PerformedOn!.Value,
        LvefPercent = r.LvefPercent!.Value,
        GlobalLongitudinalStrainPercent = r.GlobalLongitudinalStrainPercent,
        Impression = r.Impression,
    };
}
