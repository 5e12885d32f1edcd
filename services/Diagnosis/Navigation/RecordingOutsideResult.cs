using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.DepartmentKit;
using PatientJourney.Hosting.Security;

namespace PatientJourney.Diagnosis.Navigation;

public sealed record RecordOutsideResult(string? Kind, DateOnly? PerformedOn, string? Facility, string? Summary) : IValidatedRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        SurveillanceItemKinds.Check(v, Kind, "kind");
        v.ClinicalDate(PerformedOn, "performedOn", today);
        v.Required(Facility, "facility", ClinicalLimits.ShortText);
        v.MaxLength(Summary, "summary", ClinicalLimits.LongText);
    }
}

public static class RecordingOutsideResult
{
    public static void Map(IEndpointRouteBuilder patients) =>
        patients.MapCommand<RecordOutsideResult>("/{patientId}/outside-results", Decide, clinicalDateField: "performedOn", policy: Policies.RecordNavigationFacts)
            .Records<OutsideResultRecorded>().WithName("RecordOutsideResult");

    public static Decision Decide(RecordOutsideResult r, CommandContext c) => new OutsideResultRecorded
    {
        PatientId = c.PatientId,
        OccurredOn = r.PerformedOn!.Value,
        Kind = r.Kind!,
        Facility = r.Facility!,
        Summary = r.Summary,
    };
}
