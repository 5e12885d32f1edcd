using PatientJourney.Contracts;
using PatientJourney.DepartmentKit;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Terminology;

namespace PatientJourney.Chemotherapy.AdverseEvents;

public sealed record RecordAdverseEvent(DateOnly? OccurredOn, string? Term, int? Grade, string? Attribution, string? Treatment) : IValidatedRequest, ITerminologyRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        v.ClinicalDate(OccurredOn, "occurredOn", today);
        AdverseEventRecorded.CheckFacts(v, Term, Grade, Attribution, Treatment);
    }

    // NCI CTCAE v5.0: a term and only the grades its table defines (nausea grade 5 is no CTCAE grade; issue 28, finding 9).
    public void CheckTerms(FieldValidation v, ClinicalTerminology terminology) => terminology.GradedTerm(v, Term, Grade, "term", "grade");
}

public static class RecordingAdverseEvent
{
    public static void Map(IEndpointRouteBuilder patient)
    {
        var terminology = patient.Terminology();
        patient.MapCommand<RecordAdverseEvent>("/adverse-events", (r, c) => Decide(r, c, terminology.Ctcae)).Records<AdverseEventRecorded>().WithName("RecordAdverseEvent");
    }

    /// <param name="ctcae">Gives the term its MedDRA code (the published terms unless given).</param>
    public static Decision Decide(RecordAdverseEvent r, CommandContext c, CtcaeTerms? ctcae = null)
    {
        var term = (ctcae ?? CtcaeTerms.Published).Find(r.Term);
        return new AdverseEventRecorded
        {
            PatientId = c.PatientId,
            OccurredOn = r.OccurredOn!.Value,
            Term = r.Term!.Trim(),
            MeddraCode = term?.MeddraCode,
            Grade = r.Grade!.Value,
            Attribution = r.Attribution,
            Treatment = r.Treatment,
        };
    }
}
