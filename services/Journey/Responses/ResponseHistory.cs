using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Imaging;

namespace PatientJourney.Journey.Responses;

/// <summary>
/// Every response of a patient, derived in one place from the measurements in clinical order: the same facts give the
/// same responses whatever order they arrived in, and a late CT (even one that becomes the baseline) re-derives every
/// later response. Responses the imaging department once published (ResponseAssessed, PetCtResulted.metabolicResponse)
/// are not read: they were frozen when recorded.
/// </summary>
public sealed record ResponseHistory(IReadOnlyList<RecistAssessment> Recist, IReadOnlyList<MetabolicAssessment> Metabolic)
{
    public static readonly ResponseHistory None = new([], []);

    public RecistAssessment? RecistOf(Guid ctEventId) => Recist.FirstOrDefault(r => r.CtEventId == ctEventId);
    public MetabolicAssessment? MetabolicOf(Guid petEventId) => Metabolic.FirstOrDefault(m => m.PetEventId == petEventId);

    /// <param name="ordered">The patient's events in clinical order (the journey's ClinicalOrder).</param>
    public static ResponseHistory Derive(IReadOnlyList<ClinicalEvent> ordered)
    {
        return new ResponseHistory(DeriveRecist(ordered.OfType<CtResulted>().ToList()), DeriveMetabolic(ordered));
    }

    // The baseline is the first CT in clinical order that reports a lesion; each later CT is assessed against it and
    // against the nadir of the CTs between.
    private static List<RecistAssessment> DeriveRecist(IReadOnlyList<CtResulted> cts)
    {
        var assessments = new List<RecistAssessment>();
        var start = cts.ToList().FindIndex(c => c.TargetLesions.Count > 0 || c.NonTargetLesions.Count > 0);
        if (start < 0) return assessments;
        var baseline = cts[start];
        var completeSums = new List<decimal>();
        var completeResponseReached = false;
        foreach (var ct in cts.Skip(start + 1))
        {
            var assessment = Responses.Recist.Assess(baseline, ct, completeSums, completeResponseReached);
            if (baseline.TargetLesions.All(b => ct.TargetLesions.Any(l => l.LesionId == b.LesionId))) completeSums.Add(assessment.SumOfDiametersMm);
            completeResponseReached |= assessment.TargetResponse == RecistCategory.CompleteResponse;
            assessments.Add(assessment);
        }
        return assessments;
    }

    // The reference is the staging PET/CT (the first one if none says staging) done before the scan; the cycles are
    // those started on or after the reference and before the scan.
    private static List<MetabolicAssessment> DeriveMetabolic(IReadOnlyList<ClinicalEvent> ordered)
    {
        var pets = ordered.OfType<PetCtResulted>().ToList();
        var cycles = ordered.OfType<ChemoCycleCompleted>().ToList();
        var assessments = new List<MetabolicAssessment>();
        foreach (var pet in pets)
        {
            var earlier = pets.Where(p => p.OccurredOn < pet.OccurredOn).ToList();
            var baseline = earlier.FirstOrDefault(p => p.Indication == PetCtIndication.Staging) ?? earlier.FirstOrDefault();
            if (baseline is null) continue;
            var given = cycles.Count(c => c.StartedOn >= baseline.OccurredOn && c.StartedOn < pet.OccurredOn);
            assessments.Add(EortcPet.Assess(baseline, pet, given));
        }
        return assessments;
    }
}
