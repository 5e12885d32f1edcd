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
    public required string Drug { get; init; }
    public required decimal DoseMg { get; init; }
    public string? Carrier { get; init; }
    public string? Approach { get; init; }
    public IReadOnlyList<GradedTerm> Toxicities { get; init; } = [];

    protected override void ValidateFact(FieldValidation v, DateOnly latest)
    {
        v.Required(Target, "target", ClinicalLimits.MediumText);
        v.Required(Drug, "drug", ClinicalLimits.ShortText);
        v.Range(DoseMg, "doseMg", ClinicalLimits.TaceDoseMg);
        v.MaxLength(Carrier, "carrier", ClinicalLimits.MediumText);
        v.MaxLength(Approach, "approach", ClinicalLimits.MediumText);
        SharedChecks.GradedTerms(v, Toxicities, "toxicities");
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
        v.Required(Target, "target", ClinicalLimits.MediumText);
        for (var i = 0; i < (LesionSizeMm?.Count ?? 0); i++) v.Range(LesionSizeMm![i], $"lesionSizeMm[{i}]", ClinicalLimits.AblatedLesionMm);
        v.Range(AblationCycles, "ablationCycles", ClinicalLimits.AblationCycles);
        v.Range(TargetTemperatureC, "targetTemperatureC", ClinicalLimits.TargetTemperatureC);
        v.Range(CycleMinutes, "cycleMinutes", ClinicalLimits.CycleMinutes);
        v.MaxLength(Electrode, "electrode", ClinicalLimits.MediumText);
        v.Each(ProtectiveMeasures, "protectiveMeasures", (m, f) => v.Required(m, f, ClinicalLimits.MediumText));
        SharedChecks.GradedTerms(v, Complications, "complications");
    }
}
