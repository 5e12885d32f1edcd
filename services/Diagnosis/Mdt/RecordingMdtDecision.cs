using PatientJourney.DepartmentKit;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;

namespace PatientJourney.Diagnosis.Mdt;

public sealed record PlannedProcedureRequest(ProcedureKind? Procedure, int? Sessions, int? IntervalMonths, DateOnly? FirstOn);

public sealed record RecordMdtDecision(DateOnly? OccurredOn, string? Decision, IReadOnlyList<PlannedProcedureRequest?>? PlannedProcedures)
    : IValidatedRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        v.ClinicalDate(OccurredOn, "occurredOn", today);
        v.Required(Decision, "decision", ClinicalLimits.LongText);
        v.Each(PlannedProcedures, "plannedProcedures", (p, f) =>
        {
            v.Required(p.Procedure, $"{f}.procedure");
            if (v.Required(p.Sessions, $"{f}.sessions")) v.Range(p.Sessions, $"{f}.sessions", ClinicalLimits.PlannedSessions);
            if (v.Required(p.IntervalMonths, $"{f}.intervalMonths")) v.Range(p.IntervalMonths, $"{f}.intervalMonths", ClinicalLimits.PlannedIntervalMonths);
            if (p.FirstOn is { } first && OccurredOn is { } decided && first < decided)
                v.Add($"{f}.firstOn", "must not be before the decision");
        });
    }
}

public static class RecordingMdtDecision
{
    public static void Map(IEndpointRouteBuilder patients) =>
        patients.MapCommand<RecordMdtDecision>("/{patientId}/mdt-decisions", Decide).Records<MultidisciplinaryDecisionRecorded>().WithName("RecordMdtDecision");

    public static Decision Decide(RecordMdtDecision r, CommandContext c) => new MultidisciplinaryDecisionRecorded
    {
        PatientId = c.PatientId,
        OccurredOn = r.OccurredOn!.Value,
        Decision = r.Decision!,
        PlannedProcedures = (r.PlannedProcedures ?? [])
            .Select(p => new PlannedProcedure(p!.Procedure!.Value, p.Sessions!.Value, p.IntervalMonths!.Value, p.FirstOn))
            .ToList(),
    };
}
