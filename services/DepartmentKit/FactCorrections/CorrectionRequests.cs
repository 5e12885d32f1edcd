using System.Text.Json;
using PatientJourney.Contracts;

namespace PatientJourney.DepartmentKit.FactCorrections;

/// <summary>POST /patients/{patientId}/events/{eventId}/retract: why the fact is withdrawn.</summary>
public sealed record RetractFact(string? Reason) : IValidatedRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        if (v.Required(Reason, "reason", ClinicalLimits.Reason)) v.Text(Reason, "reason");
    }
}

/// <summary>POST /patients/{patientId}/events/{eventId}/amend: why, and the body of the fact's own command, corrected.</summary>
public sealed record AmendFact(string? Reason, JsonElement? Body) : IValidatedRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        if (v.Required(Reason, "reason", ClinicalLimits.Reason)) v.Text(Reason, "reason");
        if (Body is not { ValueKind: JsonValueKind.Object }) v.Add("body", "is required: the body of the command that recorded the fact, corrected");
    }
}

/// <summary>
/// A department's own rule over a correction, given the fact, its amendment (null for a retraction) and the facts that
/// would stand after it: a refusal (409) when the correction would break what the department checks of new facts
/// (a cycle retracted while a later one stands), else null.
/// </summary>
public delegate Decision? CorrectionRule(ClinicalEvent fact, ClinicalEvent? amendment, IReadOnlyList<ClinicalEvent> standingAfter);

/// <summary>Endpoint metadata: the event type a command records, which makes its facts amendable with the same body.</summary>
public sealed record RecordsEvent(Type EventType);

/// <summary>Endpoint metadata of the correction routes (no fact of theirs is amended through them).</summary>
public sealed record CorrectionEndpoint
{
    public static readonly CorrectionEndpoint Instance = new();
}
