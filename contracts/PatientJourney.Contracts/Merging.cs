namespace PatientJourney.Contracts.Diagnosis;

// Merging two record numbers of one person (issue 31). The diagnosis department, keeper of the patient's registration,
// records it on the merged-away record's stream; nothing is moved: every fact stays under the record number it was
// recorded with, and the journey shows the survivor's journey from both (and everything merged into either, in chains).

/// <summary>
/// This record (<see cref="ClinicalEvent.PatientId"/>) was a second record number of the patient <see cref="Into"/>, who
/// survives: the journey joins its facts, earlier and later ones, to the survivor's.
/// </summary>
public sealed record PatientsMerged : DiagnosisEvent
{
    /// <summary>The surviving patient's id.</summary>
    public required string Into { get; init; }
    public required string Reason { get; init; }

    protected override void ValidateFact(FieldValidation v, DateOnly latest)
    {
        if (v.PatientId(Into, "into") && Into == PatientId) v.Add("into", "must not be the patient itself");
        v.Required(Reason, "reason", ClinicalLimits.Reason);
    }
}
