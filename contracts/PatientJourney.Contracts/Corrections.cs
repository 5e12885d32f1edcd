namespace PatientJourney.Contracts;

// Corrections (contract: "Corrections"). A fact is never rewritten: the department that recorded it retracts it (an
// event of its own naming the fact) or amends it (the same event type again, naming the fact it replaces in its
// envelope's `amends`). What stands is derived from the whole record, here, by the departments and the journey alike.

/// <summary>A department's withdrawal of one of its own facts; each department publishes its own type of it.</summary>
public interface IFactRetraction
{
    Guid RetractedEventId { get; }
    string Reason { get; }
}

/// <summary>What became of one fact: retracted, or replaced by a later version (each with the correcting event).</summary>
public sealed record FactCorrection(ClinicalEvent? RetractedBy, ClinicalEvent? AmendedBy);

public static class Corrections
{
    public static bool IsCorrection(ClinicalEvent e) => e is IFactRetraction || e.Amends is not null;

    /// <summary>
    /// The facts that stand, in the record's order: no retraction, no retracted fact, and each amended fact replaced, in
    /// its place, by its latest version (a fact retracted in any version is withdrawn whole). A retraction counts only for
    /// a fact of its own department, an amendment only for a fact of its own type. A retraction that arrives before its
    /// fact waits for it; an amendment that arrives before the fact it replaces stands already, and takes its place when
    /// it arrives. So every arrival order gives the same facts once all have arrived, and what stands, read again, stands.
    /// </summary>
    /// <param name="before">When given, only the facts first recorded before this one (an original's id): what stood
    /// when it was recorded, as now corrected.</param>
    public static IReadOnlyList<ClinicalEvent> Standing(IReadOnlyList<ClinicalEvent> record, Guid? before = null)
    {
        if (before is null && !record.Any(IsCorrection)) return record;
        var corrections = Of(record);
        // Versions are listed in their original's place, not their own.
        var replacing = corrections.Values.Where(c => c.AmendedBy is not null).Select(c => c.AmendedBy!.EventId).ToHashSet();
        var standing = new List<ClinicalEvent>(record.Count);
        foreach (var e in record)
        {
            if (e.EventId == before) break;
            if (e is IFactRetraction || replacing.Contains(e.EventId)) continue;
            var version = e;
            var withdrawn = false;
            while (corrections.TryGetValue(version.EventId, out var correction))
            {
                if (correction.RetractedBy is not null) { withdrawn = true; break; }
                if (correction.AmendedBy is not { } next) break;
                version = next;
            }
            if (!withdrawn) standing.Add(version);
        }
        return standing;
    }

    /// <summary>The first version of a fact: the one its amendments, however many, go back to.</summary>
    public static ClinicalEvent Original(IReadOnlyList<ClinicalEvent> record, ClinicalEvent version)
    {
        while (version.Amends is { } amends && record.FirstOrDefault(e => e.EventId == amends) is { } earlier) version = earlier;
        return version;
    }

    /// <summary>The retraction of a fact, of its own department's type; dated as the fact, so it is read with it at any date.</summary>
    public static ClinicalEvent RetractionOf(ClinicalEvent fact, string reason) => fact.Department switch
    {
        Departments.Diagnosis => new Diagnosis.DiagnosisFactRetracted { PatientId = fact.PatientId, OccurredOn = fact.OccurredOn, RetractedEventId = fact.EventId, Reason = reason },
        Departments.Chemotherapy => new Chemotherapy.ChemotherapyFactRetracted { PatientId = fact.PatientId, OccurredOn = fact.OccurredOn, RetractedEventId = fact.EventId, Reason = reason },
        Departments.Interventional => new Interventional.InterventionalFactRetracted { PatientId = fact.PatientId, OccurredOn = fact.OccurredOn, RetractedEventId = fact.EventId, Reason = reason },
        Departments.Imaging => new Imaging.ImagingFactRetracted { PatientId = fact.PatientId, OccurredOn = fact.OccurredOn, RetractedEventId = fact.EventId, Reason = reason },
        _ => throw new ArgumentException($"{fact.Department} is no department", nameof(fact)),
    };

    /// <summary>The corrections that apply, by the id of the fact they correct.</summary>
    public static IReadOnlyDictionary<Guid, FactCorrection> Of(IReadOnlyList<ClinicalEvent> record)
    {
        var corrected = new Dictionary<Guid, FactCorrection>();
        if (!record.Any(IsCorrection)) return corrected;
        var byId = new Dictionary<Guid, ClinicalEvent>();
        foreach (var e in record) byId.TryAdd(e.EventId, e);
        foreach (var e in record)
        {
            if (e is IFactRetraction retraction && byId.TryGetValue(retraction.RetractedEventId, out var retracted)
                && retracted.Department == e.Department && retracted is not IFactRetraction)
                corrected[retracted.EventId] = (corrected.GetValueOrDefault(retracted.EventId) ?? new FactCorrection(null, null)) with { RetractedBy = e };
            else if (e.Amends is { } amends && byId.TryGetValue(amends, out var original) && original.GetType() == e.GetType()
                     && corrected.GetValueOrDefault(amends)?.AmendedBy is null)
                corrected[amends] = (corrected.GetValueOrDefault(amends) ?? new FactCorrection(null, null)) with { AmendedBy = e };
        }
        return corrected;
    }

    /// <summary>The envelope's part of a correction: an amendment names the fact it replaces and says why.</summary>
    internal static void CheckAmendment(FieldValidation v, Guid? amends, string? reason)
    {
        if (amends is null)
        {
            if (reason is not null) v.Add("amendmentReason", "is given only with amends");
            return;
        }
        if (amends == Guid.Empty) v.Add("amends", "must be an event id");
        if (v.Required(reason, "amendmentReason", ClinicalLimits.Reason)) v.Text(reason, "amendmentReason");
    }

    /// <summary>A retraction's own fields, the same in every department's type.</summary>
    public static void CheckRetraction(FieldValidation v, IFactRetraction retraction)
    {
        if (retraction.RetractedEventId == Guid.Empty) v.Add("retractedEventId", "is required");
        if (v.Required(retraction.Reason, "reason", ClinicalLimits.Reason)) v.Text(retraction.Reason, "reason");
    }
}
