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
}
