using PatientJourney.Contracts;
using PatientJourney.DepartmentKit;
using PatientJourney.Contracts.Interventional;
using PatientJourney.Contracts.Terminology;

namespace PatientJourney.Interventional.Tace;

public sealed record PerformTace(
    DateOnly? PerformedOn, string? Target, string? Drug, decimal? DoseMg, string? Carrier, string? Approach,
    IReadOnlyList<GradedTermRequest?>? Toxicities) : IValidatedRequest, ITerminologyRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        v.ClinicalDate(PerformedOn, "performedOn", today);
        TacePerformed.CheckFacts(v, Target, Drug, DoseMg, Carrier, Approach);
        GradedTerms.Validate(v, Toxicities, "toxicities");
    }

    // The TACE drug resolves through the same formulary as a regimen's, so its doxorubicin reaches the ledger.
    public void CheckTerms(FieldValidation v, ClinicalTerminology terminology)
    {
        terminology.Drug(v, Drug, "drug");
        GradedTerms.CheckTerms(v, terminology, Toxicities, "toxicities");
    }
}

public static class PerformingTace
{
    public static void Map(IEndpointRouteBuilder patient)
    {
        var terminology = patient.Terminology();
        patient.MapCommand<PerformTace>("/tace", (r, c) => Decide(r, c, terminology), clinicalDateField: "performedOn").Records<TacePerformed>().WithName("RecordTace");
    }

    /// <param name="terminology">Names the drug and the toxicities as the formulary and CTCAE do (the published ones unless given).</param>
    public static Decision Decide(PerformTace r, CommandContext c, ClinicalTerminology? terminology = null)
    {
        terminology ??= ClinicalTerminology.Published;
        var drug = terminology.Formulary.Find(r.Drug);
        return new TacePerformed
        {
            PatientId = c.PatientId,
            OccurredOn = r.PerformedOn!.Value,
            Target = r.Target!,
            Drug = drug?.Name ?? r.Drug!.Trim(),
            RxNorm = drug?.RxNorm,
            Atc = drug?.Atc,
            DoseMg = r.DoseMg!.Value,
            // Feijen et al., JAMA Oncol 2019;5:864, Table 3: the dose as doxorubicin counts it; 0 for no convertible anthracycline.
            DoxorubicinEquivalentMg = drug is { Liposomal: false, DoxorubicinEquivalence: { } factor } ? r.DoseMg!.Value * factor : 0m,
            Carrier = r.Carrier,
            Approach = r.Approach,
            Toxicities = GradedTerms.ToContract(r.Toxicities, terminology.Ctcae),
        };
    }
}
