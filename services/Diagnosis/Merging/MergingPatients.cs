using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.DepartmentKit;

namespace PatientJourney.Diagnosis.Merging;

/// <summary>The patient of the route was a second record number of <see cref="Into"/>, who survives.</summary>
public sealed record MergePatients(string? Into, string? Reason) : IValidatedRequest, IOtherPatientsRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        v.PatientId(Into, "into");
        v.Required(Reason, "reason", ClinicalLimits.Reason);
    }

    /// <summary>The survivor's history decides the merge too: locked and read with the patient's.</summary>
    public IReadOnlyList<string> OtherPatients => Into is null ? [] : [Into];
}

/// <summary>
/// POST /patients/{patientId}/merge: a health-records decision, the department's own role only (a navigator may not).
/// The survivor must be a patient this department registered: a merge into a record number nobody registered is a typing
/// error more often than a patient (404). Neither record may already be merged away, and a record is not merged into
/// itself (409, naming the field): so merges never form a loop, and a survivor is always a live record. The merged-away
/// record need not be registered here: its facts may all be at other departments.
/// </summary>
public static class MergingPatients
{
    public static void Map(IEndpointRouteBuilder patients) =>
        patients.MapCommand<MergePatients>("/{patientId}/merge", Decide).WithName("MergePatients");

    public static Decision Decide(MergePatients r, CommandContext c)
    {
        var into = r.Into!;
        if (into == c.PatientId) return Decision.Conflict("into", "a patient cannot be merged into itself");
        if (MergedInto(c.History) is { } earlier) return Decision.Conflict("patientId", $"patient {c.PatientId} was already merged into {earlier}");
        var survivor = c.HistoryOf(into);
        if (MergedInto(survivor) is { } further) return Decision.Conflict("into", $"patient {into} was merged into {further}: merge into {further}");
        if (!survivor.OfType<PatientRegistered>().Any()) return Decision.NotFound("into", $"patient {into} is not registered");
        return new PatientsMerged
        {
            PatientId = c.PatientId,
            OccurredOn = c.Today,
            Into = into,
            Reason = r.Reason!,
        };
    }

    /// <summary>The survivor this record was merged into, or null while it is a record of its own.</summary>
    public static string? MergedInto(IReadOnlyList<ClinicalEvent> history) => history.OfType<PatientsMerged>().FirstOrDefault()?.Into;
}
