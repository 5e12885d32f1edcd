using PatientJourney.Contracts;
using PatientJourney.DepartmentKit;
using PatientJourney.Contracts.Chemotherapy;

namespace PatientJourney.Chemotherapy.AdverseEvents;

public sealed record RecordAdverseEvent(DateOnly? OccurredOn, string? Term, int? Grade, string? Attribution, string? Treatment) : IValidatedRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        v.ClinicalDate(OccurredOn, "occurredOn", today);
        AdverseEventRecorded.CheckFacts(v, Term, Grade, Attribution, Treatment);
    }
}

public static class RecordingAdverseEvent
{
    public static void Map(IEndpointRouteBuilder patient) =>
        patient.MapCommand<RecordAdverseEvent>("/adverse-events", Decide).WithName("RecordAdverseEvent");

    public static Decision Decide(RecordAdverseEvent r, CommandContext c) => new AdverseEventRecorded
    {
        PatientId = c.PatientId,
        OccurredOn = r.OccurredOn!.Value,
        Term = r.Term!,
        Grade = r.Grade!.Value,
        Attribution = r.Attribution,
        Treatment = r.Treatment,
    };
}
