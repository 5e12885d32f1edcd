using System.Text.Json.Serialization;

namespace PatientJourney.Contracts.Diagnosis;

// The navigation facts: what a nurse navigator records to act on the surveillance schedule. The diagnosis department owns
// them, as it owns the plan; their occurredOn is the day the navigator acted, unless the fact is dated itself (an
// outside result's performedOn, a plan's endedOn, a death's diedOn).
//
// An appointment or a deferral names a kind with an open item. The department knows only its own facts, so "open" is
// its view: a kind the active plan's protocol schedules or an MDT decision plans, unless a SurveillancePlanEnded closed
// them (dated after the plan's start or the decision, or the same day and recorded later); none once the patient died.
// The active plan is the last SurveillancePlanStarted by its start. Whether that item is due, or already done at another department, is the journey's to say.

/// <summary>The surveillance item kinds a navigation fact names (the contract's item kinds).</summary>
public static class SurveillanceItemKinds
{
    public const string Ct = "ct";
    public const string PetCt = "pet-ct";
    public const string ClinicVisit = "clinic-visit";
    public const string Tace = "tace";
    public const string Rfa = "rfa";
    /// <summary>Opened by exposure rules (cumulative anthracycline), not by a protocol: the journey alone computes it.</summary>
    public const string Echocardiogram = "echocardiogram";

    public static readonly IReadOnlyList<string> All = [Ct, PetCt, ClinicVisit, Tace, Rfa, Echocardiogram];

    /// <summary>The kinds that repeat at an interval (a protocol's or a rule's), which an override may change; TACE and RFA are sessions an MDT planned.</summary>
    public static readonly IReadOnlyList<string> Repeating = [Ct, PetCt, ClinicVisit, Echocardiogram];

    /// <summary>The kind of item an MDT decision's planned procedure schedules.</summary>
    public static string Of(ProcedureKind procedure) => procedure switch
    {
        ProcedureKind.Tace => Tace,
        ProcedureKind.Rfa => Rfa,
        ProcedureKind.Ct => Ct,
        ProcedureKind.PetCt => PetCt,
        _ => throw new ArgumentOutOfRangeException(nameof(procedure), procedure, null),
    };

    public static bool Check(FieldValidation v, string? kind, string field)
    {
        if (!v.Required(kind, field, ClinicalLimits.Code)) return false;
        if (All.Contains(kind)) return true;
        v.Add(field, $"must be one of {string.Join(", ", All)}");
        return false;
    }
}

/// <summary>How far ahead a navigator may book or defer: beyond it is a typing error, not a plan.</summary>
public static class NavigationLimits
{
    public const int MaxDaysAhead = 3 * 366;

    public static bool FutureDate(FieldValidation v, DateOnly? date, string field, DateOnly today)
    {
        if (!v.Required(date, field)) return false;
        if (date < ClinicalLimits.EarliestClinicalDate) { v.Add(field, $"must not be before {ClinicalLimits.EarliestClinicalDate:yyyy-MM-dd}"); return false; }
        if (date > today.AddDays(MaxDaysAhead)) { v.Add(field, $"must be within {MaxDaysAhead} days of today"); return false; }
        return true;
    }
}

/// <summary>An appointment for the open surveillance item of its kind.</summary>
public sealed record AppointmentBooked : DiagnosisEvent
{
    public required string Kind { get; init; }
    public required DateOnly ScheduledOn { get; init; }
    public string? Location { get; init; }

    protected override void ValidateFact(FieldValidation v, DateOnly latest)
    {
        SurveillanceItemKinds.Check(v, Kind, "kind");
        NavigationLimits.FutureDate(v, ScheduledOn, "scheduledOn", latest);
        v.MaxLength(Location, "location", ClinicalLimits.ShortText);
    }
}

/// <summary>The open item of its kind is not due before <see cref="Until"/> (the patient asked to move it, a scan postponed).</summary>
public sealed record SurveillanceItemDeferred : DiagnosisEvent
{
    public required string Kind { get; init; }
    public required DateOnly Until { get; init; }
    public required string Reason { get; init; }

    protected override void ValidateFact(FieldValidation v, DateOnly latest)
    {
        SurveillanceItemKinds.Check(v, Kind, "kind");
        NavigationLimits.FutureDate(v, Until, "until", latest);
        v.Required(Reason, "reason", ClinicalLimits.Reason);
    }
}

/// <summary>
/// For this patient, items of <see cref="Kind"/> fall due every <see cref="IntervalMonths"/> instead of the protocol's or
/// rule's interval, from <see cref="ClinicalEvent.OccurredOn"/> (the day the navigator decided) on: the item open then
/// and every later one. The latest override of a kind holds; retracting it restores the one before (or the protocol).
/// </summary>
public sealed record SurveillanceIntervalOverridden : DiagnosisEvent
{
    public required string Kind { get; init; }
    public required int IntervalMonths { get; init; }
    public required string Reason { get; init; }

    protected override void ValidateFact(FieldValidation v, DateOnly latest)
    {
        if (SurveillanceItemKinds.Check(v, Kind, "kind") && !SurveillanceItemKinds.Repeating.Contains(Kind))
            v.Add("kind", $"must be one of {string.Join(", ", SurveillanceItemKinds.Repeating)} (TACE and RFA are sessions an MDT plans)");
        v.Range(IntervalMonths, "intervalMonths", ClinicalLimits.OverrideIntervalMonths);
        v.Required(Reason, "reason", ClinicalLimits.Reason);
    }
}

/// <summary>A scan or visit done at another hospital: it completes the open item of its kind; it carries no measurements.</summary>
public sealed record OutsideResultRecorded : DiagnosisEvent
{
    public required string Kind { get; init; }
    /// <summary>Equal to <see cref="ClinicalEvent.OccurredOn"/>.</summary>
    public DateOnly PerformedOn => OccurredOn;
    public required string Facility { get; init; }
    public string? Summary { get; init; }

    protected override void ValidateFact(FieldValidation v, DateOnly latest)
    {
        SurveillanceItemKinds.Check(v, Kind, "kind");
        v.Required(Facility, "facility", ClinicalLimits.ShortText);
        v.MaxLength(Summary, "summary", ClinicalLimits.LongText);
    }
}

[JsonConverter(typeof(ContractEnumConverter<SurveillancePlanEndReason>))]
public enum SurveillancePlanEndReason
{
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("declined")] Declined,
    [JsonStringEnumMemberName("transferred")] Transferred,
    [JsonStringEnumMemberName("lost-to-follow-up")] LostToFollowUp,
}

/// <summary>The active surveillance plan ends: no open items from <see cref="EndedOn"/> until a new plan starts.</summary>
public sealed record SurveillancePlanEnded : DiagnosisEvent
{
    /// <summary>Equal to <see cref="ClinicalEvent.OccurredOn"/>.</summary>
    public DateOnly EndedOn => OccurredOn;
    public required SurveillancePlanEndReason Reason { get; init; }

    protected override void ValidateFact(FieldValidation v, DateOnly latest) => SharedChecks.IsDefined(v, Reason, "reason");
}

/// <summary>The patient died: no open items from <see cref="DiedOn"/>.</summary>
public sealed record PatientDied : DiagnosisEvent
{
    /// <summary>Equal to <see cref="ClinicalEvent.OccurredOn"/>.</summary>
    public DateOnly DiedOn => OccurredOn;
    public string? Cause { get; init; }

    protected override void ValidateFact(FieldValidation v, DateOnly latest) => v.MaxLength(Cause, "cause", ClinicalLimits.MediumText);
}

/// <summary>Who looks after the patient's surveillance from now on: a user's <c>sub</c>.</summary>
public sealed record NavigatorAssigned : DiagnosisEvent
{
    public required string Navigator { get; init; }

    protected override void ValidateFact(FieldValidation v, DateOnly latest) => v.Required(Navigator, "navigator", ClinicalLimits.RecordedBy);
}
