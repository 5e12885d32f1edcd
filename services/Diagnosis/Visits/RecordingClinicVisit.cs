using PatientJourney.Contracts;
using PatientJourney.DepartmentKit;
using PatientJourney.Contracts.Diagnosis;

namespace PatientJourney.Diagnosis.Visits;

public sealed record RecordClinicVisit(DateOnly? OccurredOn, int? Ecog) : IValidatedRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        v.ClinicalDate(OccurredOn, "occurredOn", today);
        v.Range(Ecog, "ecog", ClinicalLimits.Ecog);
    }
}

public static class RecordingClinicVisit
{
    public static void Map(IEndpointRouteBuilder patients) =>
        patients.MapCommand<RecordClinicVisit>("/{patientId}/visits", Decide).Records<ClinicVisitRecorded>().WithName("RecordClinicVisit");

    public static Decision Decide(RecordClinicVisit r, CommandContext c) => new ClinicVisitRecorded
    {
        PatientId = c.PatientId,
        OccurredOn = r.OccurredOn!.Value,
        Ecog = r.Ecog,
    };
}
