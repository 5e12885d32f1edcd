using Microsoft.AspNetCore.Http;
using PatientJourney.Contracts;

namespace PatientJourney.DepartmentKit;

/// <summary>
/// What a command's decision sees: the patient and the department's own history of that patient, as it stands
/// (<see cref="Corrections.Standing"/>: no retracted fact, amended facts as amended), and the whole record when given.
/// </summary>
public sealed record CommandContext(
    string PatientId, IReadOnlyList<ClinicalEvent> History, DateOnly Today, IReadOnlyDictionary<string, string> Route, IReadOnlyList<ClinicalEvent>? WholeRecord = null)
{
    /// <summary>Every event of the patient at the department, corrections and what they correct included, in the order recorded.</summary>
    public IReadOnlyList<ClinicalEvent> Record => WholeRecord ?? History;

    /// <summary>A route value other than the patient (e.g. regimenId), already checked as an identifier.</summary>
    public string RouteValue(string name) => Route[name];

    /// <summary>The other patients the command names (<see cref="IOtherPatientsRequest"/>), read under their locks in the same transaction.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ClinicalEvent>> Others { get; init; } = new Dictionary<string, IReadOnlyList<ClinicalEvent>>();

    /// <summary>The department's history of another patient the command names, including what the batch appended before it.</summary>
    public IReadOnlyList<ClinicalEvent> HistoryOf(string patientId) => patientId == PatientId ? History : Others[patientId];
}

/// <summary>A decision: the events to record, or why the department's state refuses the command (409 or 404).</summary>
public sealed record Decision
{
    public IReadOnlyList<ClinicalEvent> Events { get; private init; } = [];
    public Refusal? Refused { get; private init; }

    /// <summary>Events to append; a decision may set an EventId itself when one event must name another.</summary>
    public static Decision Record(params ClinicalEvent[] events) => new() { Events = events };
    public static Decision Conflict(string field, string detail) => new() { Refused = new Refusal(StatusCodes.Status409Conflict, field, detail) };
    public static Decision NotFound(string field, string detail) => new() { Refused = new Refusal(StatusCodes.Status404NotFound, field, detail) };
    /// <summary>Bad input that only the department's state reveals (a date before the patient's birth): 400.</summary>
    public static Decision Invalid(string field, string detail) => new() { Refused = new Refusal(StatusCodes.Status400BadRequest, field, detail) };
    /// <summary>Bad input found while deciding, every field named (an amendment's body, checked as its command's).</summary>
    public static Decision Invalid(IDictionary<string, string[]> errors) =>
        new() { Refused = new Refusal(StatusCodes.Status400BadRequest, errors.Keys.First(), errors.Values.First()[0], errors) };

    public static implicit operator Decision(ClinicalEvent e) => Record(e);
}

/// <summary>Why a command is refused: the field and its message, or (a 400 of many fields) every one in <paramref name="Errors"/>.</summary>
public sealed record Refusal(int Status, string Field, string Detail, IDictionary<string, string[]>? Errors = null);

/// <summary>
/// A department's own rule over every decision of its commands, checked after each command's decision against the same
/// history (the diagnosis department: no fact before the registered birth date). It is given the request field the
/// events' clinical date comes from, to name it, and answers the decision or the refusal that replaces it.
/// </summary>
public delegate Decision DepartmentRule(CommandContext context, Decision decision, string clinicalDateField);
