using Hl7.Fhir.Model;
using PatientJourney.Contracts.Imaging;
using static PatientJourney.Journey.Catalogue.ClinicalCodes;

namespace PatientJourney.Journey.Catalogue;

public static partial class JourneyEvents
{
    private static IEnumerable<EventMeaning> Imaging() =>
    [
        new EventMeaning<PetCtResulted>
        {
            Summary = p => $"PET/CT ({p.Indication.ToString().ToLowerInvariant()}): "
                           + (p.Lesions.Count == 0 ? "no avid lesion" : $"{p.Lesions.Count} lesion(s), peak SUVmax {Num(p.Lesions.Max(l => l.SuvMax))}")
                           + (p.MetabolicResponse is { } m ? $"; EORTC {Metabolic(m.Category)} ({Num(m.PeakChangePercent)}% peak SUVmax from staging)" : ""),
            Performs = ItemKinds.PetCt,
            // An SUVmax observation per lesion, and the report that holds them.
            Fhir = (pet, fhir) =>
            {
                var suv = pet.Lesions.Select(l => (Id: FhirEntries.DeterministicId($"{pet.EventId}/{l.LesionId}"), Lesion: l)).ToList();
                foreach (var (id, lesion) in suv)
                    fhir.Add(id, new Observation
                    {
                        Status = ObservationStatus.Final,
                        Code = new CodeableConcept { Text = "SUVmax" },
                        Subject = fhir.Subject,
                        Effective = new FhirDateTime(Date(pet.OccurredOn)),
                        BodySite = new CodeableConcept { Text = lesion.Site },
                        Value = new Quantity { Value = lesion.SuvMax, Unit = "SUV" },
                    });
                fhir.Add(pet.EventId, fhir.Report(pet.OccurredOn, $"PET/CT ({pet.Indication.ToString().ToLowerInvariant()})",
                    pet.Impression, pet.MetabolicResponse is { } m ? $"EORTC {Metabolic(m.Category)}" : null,
                    suv.Select(s => new ResourceReference(FhirEntries.Urn(s.Id))).ToList()));
            },
            Charts = (pet, charts) =>
            {
                foreach (var l in pet.Lesions) charts.SuvMax(new SuvPoint(pet.OccurredOn, l.LesionId, l.Site, l.SuvMax));
            },
        },
        new EventMeaning<CtResulted>
        {
            Summary = c => $"CT {c.Region}: " + (c.TargetLesions.Count == 0 ? "no target lesion" : $"sum of target diameters {Num(c.TargetLesions.Sum(l => l.LongestDiameterMm))} mm")
                           + (c.NewLesions ? "; new lesions" : ""),
            Performs = ItemKinds.Ct,
            Fhir = (ct, fhir) => fhir.Add(ct.EventId, fhir.Report(ct.OccurredOn, $"CT {ct.Region}", ct.Impression,
                fhir.ResponseTo(ct.EventId) is { } response ? $"RECIST 1.1 {Recist(response.Category)}" : null, [])),
            Charts = (ct, charts) => charts.TumourBurden(ct.OccurredOn, ct.TargetLesions.Sum(l => l.LongestDiameterMm), ct.EventId),
        },
        new EventMeaning<ResponseAssessed>
        {
            Summary = r => $"RECIST 1.1 {Recist(r.Category)}: {Num(r.ChangeFromBaselinePercent)}% from baseline, {Num(r.ChangeFromNadirPercent)}% from nadir",
            IsAssessment = true,
            Charts = (r, charts) => charts.Assessed(r.CtEventId, Recist(r.Category)),
        },
    ];
}
