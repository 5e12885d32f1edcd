using System.Text.Json.Serialization;

namespace PatientJourney.Contracts.Chemotherapy;

public abstract record ChemotherapyEvent : ClinicalEvent
{
    public override string Department => Departments.Chemotherapy;
}

/// <summary>Contract v2: the chemotherapy department's events forwarded together, as one message.</summary>
public sealed record ChemotherapyEventBatch : ClinicalEventBatch<ChemotherapyEvent>;

[JsonConverter(typeof(ContractEnumConverter<DrugRoute>))]
public enum DrugRoute
{
    [JsonStringEnumMemberName("iv")] Iv,
    [JsonStringEnumMemberName("sc")] Sc,
    [JsonStringEnumMemberName("oral")] Oral,
}

[JsonConverter(typeof(ContractEnumConverter<DrugPurpose>))]
public enum DrugPurpose
{
    [JsonStringEnumMemberName("antineoplastic")] Antineoplastic,
    [JsonStringEnumMemberName("supportive")] Supportive,
}

/// <summary>
/// One drug of a regimen: exactly one of the three doses is set, given on each listed cycle day. <c>Drug</c> is the
/// formulary's name for what the request named, with its codes (absent in events recorded before the formulary).
/// </summary>
public sealed record RegimenDrug(
    string Drug,
    decimal? DosePerM2Mg,
    decimal? DoseMg,
    decimal? DoseMicrograms,
    IReadOnlyList<int> Days,
    DrugRoute Route,
    DrugPurpose Purpose = DrugPurpose.Antineoplastic,
    string? RxNorm = null,
    string? Atc = null);

[JsonConverter(typeof(ContractEnumConverter<BsaFormula>))]
public enum BsaFormula
{
    [JsonStringEnumMemberName("mosteller")] Mosteller,
    [JsonStringEnumMemberName("dubois")] DuBois,
}

public sealed record ChemoRegimenStarted : ChemotherapyEvent
{
    public required string RegimenId { get; init; }
    public required string Name { get; init; }
    public required int CycleLengthDays { get; init; }
    public required decimal HeightCm { get; init; }
    public required decimal WeightKg { get; init; }
    /// <summary>Body surface area by <see cref="BsaFormula"/> (Mosteller unless asked), rounded to 2 decimals.</summary>
    public required decimal BsaM2 { get; init; }
    public BsaFormula BsaFormula { get; init; } = BsaFormula.Mosteller;
    public required IReadOnlyList<RegimenDrug> Drugs { get; init; }

    protected override void ValidateFact(FieldValidation v, DateOnly latest)
    {
        v.PatientId(RegimenId, "regimenId");
        v.Required(Name, "name", ClinicalLimits.ShortText);
        v.Range(CycleLengthDays, "cycleLengthDays", ClinicalLimits.CycleLengthDays);
        v.Range(HeightCm, "heightCm", ClinicalLimits.HeightCm);
        v.Range(WeightKg, "weightKg", ClinicalLimits.WeightKg);
        v.Range(BsaM2, "bsaM2", ClinicalLimits.BsaM2);
        SharedChecks.IsDefined(v, BsaFormula, "bsaFormula");
        if (!v.Required(Drugs, "drugs")) return;
        v.Each(Drugs, "drugs", (d, f) =>
        {
            SharedChecks.RegimenDrug(v, f, d.Drug, d.DosePerM2Mg, d.DoseMg, d.DoseMicrograms, d.Days, CycleLengthDays);
            SharedChecks.IsDefined(v, d.Route, $"{f}.route");
            SharedChecks.IsDefined(v, d.Purpose, $"{f}.purpose");
            SharedChecks.DrugCodes(v, d.RxNorm, d.Atc, f);
        });
    }
}

/// <summary>What was given of one drug: on each of its days, and over the whole cycle.</summary>
public sealed record AdministeredDrug(
    string Drug, decimal DosePerDayMg, int Days, decimal DoseMg, DrugRoute Route, DrugPurpose Purpose, string? RxNorm = null, string? Atc = null);

public sealed record ChemoCycleCompleted : ChemotherapyEvent
{
    public required string RegimenId { get; init; }
    public required int CycleNumber { get; init; }
    public required DateOnly StartedOn { get; init; }
    /// <summary>Equal to <see cref="ClinicalEvent.OccurredOn"/>.</summary>
    public DateOnly CompletedOn => OccurredOn;
    public decimal? WeightKg { get; init; }
    public decimal? DoseReductionPercent { get; init; }
    public required decimal BsaM2 { get; init; }
    public required IReadOnlyList<AdministeredDrug> Drugs { get; init; }
    /// <summary>The regimen's cumulative doxorubicin after this cycle (conventional doxorubicin, whatever name it was given).</summary>
    public required decimal CumulativeDoxorubicinMgPerM2 { get; init; }
    /// <summary>The regimen's anthracyclines after this cycle in doxorubicin-equivalent mg/m2 (doxorubicin included); null before the formulary.</summary>
    public decimal? CumulativeDoxorubicinEquivalentMgPerM2 { get; init; }
    /// <summary>The regimen's pegylated liposomal doxorubicin after this cycle: its own line; null before the formulary.</summary>
    public decimal? CumulativeLiposomalDoxorubicinMgPerM2 { get; init; }

    protected override void ValidateFact(FieldValidation v, DateOnly latest)
    {
        v.PatientId(RegimenId, "regimenId");
        v.Range(CycleNumber, "cycleNumber", ClinicalLimits.CycleNumber);
        if (v.ClinicalDate(StartedOn, "startedOn", latest) && OccurredOn < StartedOn) v.Add("completedOn", "must not be before startedOn");
        v.Range(WeightKg, "weightKg", ClinicalLimits.WeightKg);
        v.Range(DoseReductionPercent, "doseReductionPercent", ClinicalLimits.DoseReductionPercent);
        v.Range(BsaM2, "bsaM2", ClinicalLimits.BsaM2);
        v.Range(CumulativeDoxorubicinMgPerM2, "cumulativeDoxorubicinMgPerM2", ClinicalLimits.GivenMg);
        v.Range(CumulativeDoxorubicinEquivalentMgPerM2, "cumulativeDoxorubicinEquivalentMgPerM2", ClinicalLimits.GivenMg);
        v.Range(CumulativeLiposomalDoxorubicinMgPerM2, "cumulativeLiposomalDoxorubicinMgPerM2", ClinicalLimits.GivenMg);
        if (!v.Required(Drugs, "drugs", nonEmpty: false)) return;
        v.Each(Drugs, "drugs", (d, f) =>
        {
            v.Required(d.Drug, $"{f}.drug", ClinicalLimits.ShortText);
            v.Range(d.DosePerDayMg, $"{f}.dosePerDayMg", ClinicalLimits.GivenMg);
            v.Range(d.Days, $"{f}.days", ClinicalLimits.CycleLengthDays);
            v.Range(d.DoseMg, $"{f}.doseMg", ClinicalLimits.GivenMg);
            SharedChecks.IsDefined(v, d.Route, $"{f}.route");
            SharedChecks.IsDefined(v, d.Purpose, $"{f}.purpose");
            SharedChecks.DrugCodes(v, d.RxNorm, d.Atc, f);
        });
    }
}

public sealed record ChemoRegimenStopped : ChemotherapyEvent
{
    public required string RegimenId { get; init; }
    public required string Reason { get; init; }

    protected override void ValidateFact(FieldValidation v, DateOnly latest)
    {
        v.PatientId(RegimenId, "regimenId");
        v.Required(Reason, "reason", ClinicalLimits.Reason);
    }
}

public sealed record AdverseEventRecorded : ChemotherapyEvent
{
    /// <summary>The CTCAE v5.0 term as CTCAE spells it (or as the hospital added it).</summary>
    public required string Term { get; init; }
    /// <summary>The term's MedDRA code; null in events recorded before the terminology.</summary>
    public string? MeddraCode { get; init; }
    /// <summary>CTCAE grade 1-5, one the term admits.</summary>
    public required int Grade { get; init; }
    public string? Attribution { get; init; }
    public string? Treatment { get; init; }

    protected override void ValidateFact(FieldValidation v, DateOnly latest)
    {
        CheckFacts(v, Term, Grade, Attribution, Treatment);
        v.MaxLength(MeddraCode, "meddraCode", ClinicalLimits.Code);
    }

    /// <summary>The adverse event's fields, as the request and the event both carry them.</summary>
    public static void CheckFacts(FieldValidation v, string? term, int? grade, string? attribution, string? treatment)
    {
        v.Required(term, "term", ClinicalLimits.ShortText);
        // CTCAE v5.0: grades 1 (mild) to 5 (death related to the adverse event).
        if (v.Required(grade, "grade")) v.Range(grade, "grade", ClinicalLimits.CtcaeGrade);
        v.MaxLength(attribution, "attribution", ClinicalLimits.ShortText);
        v.MaxLength(treatment, "treatment", ClinicalLimits.Reason);
    }
}

/// <summary>The chemotherapy department withdraws one of its own facts (contract: "Corrections"); occurredOn is the fact's.</summary>
public sealed record ChemotherapyFactRetracted : ChemotherapyEvent, IFactRetraction
{
    public required Guid RetractedEventId { get; init; }
    public required string Reason { get; init; }

    protected override void ValidateFact(FieldValidation v, DateOnly latest) => Corrections.CheckRetraction(v, this);
}
