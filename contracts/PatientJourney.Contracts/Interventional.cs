namespace PatientJourney.Contracts.Interventional;

public abstract record InterventionalEvent : ClinicalEvent
{
    public override string Department => Departments.Interventional;
}

/// <summary>Contract v2: the interventional department's events forwarded together, as one message.</summary>
public sealed record InterventionalEventBatch : ClinicalEventBatch<InterventionalEvent>;

/// <summary>Transarterial chemoembolization; occurredOn is performedOn.</summary>
public sealed record TacePerformed : InterventionalEvent
{
    public required string Target { get; init; }
    /// <summary>The formulary's name for the drug (doxorubicin loaded on beads is doxorubicin: the beads are the carrier).</summary>
    public required string Drug { get; init; }
    public string? RxNorm { get; init; }
    public string? Atc { get; init; }
    public required decimal DoseMg { get; init; }
    /// <summary>The dose in doxorubicin-equivalent mg (0 for a drug that is no convertible anthracycline); null before the formulary.</summary>
    public decimal? DoxorubicinEquivalentMg { get; init; }
    public string? Carrier { get; init; }
    public string? Approach { get; init; }
    public IReadOnlyList<GradedTerm> Toxicities { get; init; } = [];

    protected override void ValidateFact(FieldValidation v, DateOnly latest)
    {
        CheckFacts(v, Target, Drug, DoseMg, Carrier, Approach);
        SharedChecks.DrugCodes(v, RxNorm, Atc, null);
        v.Range(DoxorubicinEquivalentMg, "doxorubicinEquivalentMg", ClinicalLimits.GivenMg);
        SharedChecks.GradedTerms(v, Toxicities, "toxicities");
    }

    /// <summary>The procedure's fields, as the request and the event both carry them (toxicities: <see cref="SharedChecks.GradedTerm"/>).</summary>
    public static void CheckFacts(FieldValidation v, string? target, string? drug, decimal? doseMg, string? carrier, string? approach)
    {
        v.Required(target, "target", ClinicalLimits.MediumText);
        v.Required(drug, "drug", ClinicalLimits.ShortText);
        if (v.Required(doseMg, "doseMg")) v.Range(doseMg, "doseMg", ClinicalLimits.TaceDoseMg);
        v.MaxLength(carrier, "carrier", ClinicalLimits.MediumText);
        v.MaxLength(approach, "approach", ClinicalLimits.MediumText);
    }
}

/// <summary>Radiofrequency ablation; occurredOn is performedOn.</summary>
public sealed record RfaPerformed : InterventionalEvent
{
    public required string Target { get; init; }
    public IReadOnlyList<decimal> LesionSizeMm { get; init; } = [];
    public int? AblationCycles { get; init; }
    public decimal? TargetTemperatureC { get; init; }
    public decimal? CycleMinutes { get; init; }
    public string? Electrode { get; init; }
    public IReadOnlyList<string> ProtectiveMeasures { get; init; } = [];
    public required bool TechnicalSuccess { get; init; }
    public IReadOnlyList<GradedTerm> Complications { get; init; } = [];

    protected override void ValidateFact(FieldValidation v, DateOnly latest)
    {
        CheckFacts(v, Target, LesionSizeMm, AblationCycles, TargetTemperatureC, CycleMinutes, Electrode, ProtectiveMeasures);
        SharedChecks.GradedTerms(v, Complications, "complications");
    }

    /// <summary>The ablation's fields, as the request and the event both carry them (complications: <see cref="SharedChecks.GradedTerm"/>).</summary>
    public static void CheckFacts(FieldValidation v, string? target, IReadOnlyList<decimal>? lesionSizeMm, int? ablationCycles,
        decimal? targetTemperatureC, decimal? cycleMinutes, string? electrode, IReadOnlyList<string?>? protectiveMeasures)
    {
        v.Required(target, "target", ClinicalLimits.MediumText);
        for (var i = 0; i < (lesionSizeMm?.Count ?? 0); i++) v.Range(lesionSizeMm![i], $"lesionSizeMm[{i}]", ClinicalLimits.AblatedLesionMm);
        v.Range(ablationCycles, "ablationCycles", ClinicalLimits.AblationCycles);
        v.Range(targetTemperatureC, "targetTemperatureC", ClinicalLimits.TargetTemperatureC);
        v.Range(cycleMinutes, "cycleMinutes", ClinicalLimits.CycleMinutes);
        v.MaxLength(electrode, "electrode", ClinicalLimits.MediumText);
        v.Each(protectiveMeasures, "protectiveMeasures", (m, f) => v.Required(m, f, ClinicalLimits.MediumText));
    }
}

/// <summary>The interventional department withdraws one of its own facts (contract: "Corrections"); occurredOn is the fact's.</summary>
public sealed record InterventionalFactRetracted : InterventionalEvent, IFactRetraction
{
    public required Guid RetractedEventId { get; init; }
    public required string Reason { get; init; }

    protected override void ValidateFact(FieldValidation v, DateOnly latest) => Corrections.CheckRetraction(v, this);
}
