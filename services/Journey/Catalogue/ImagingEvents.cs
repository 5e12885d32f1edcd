using Hl7.Fhir.Model;
using PatientJourney.Contracts.Imaging;
using PatientJourney.Journey.Responses;
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
                           + (p.Lesions.Count(l => !l.IsAvid) is > 0 and var quiet ? $", {quiet} at background" : "")
                           + (p.BackgroundSuvMax is { } background ? $"; background SUVmax {Num(background)}" : ""),
            Performs = ItemKinds.PetCt,
            // An SUVmax observation per lesion, the EORTC response as an mCODE disease status, and the report that holds them.
            Fhir = (pet, fhir) =>
            {
                var suv = pet.Lesions.Select(l => (Id: FhirEntries.DeterministicId($"{pet.EventId}/{l.LesionId}"), Lesion: l)).ToList();
                foreach (var (id, lesion) in suv)
                    fhir.Add(id, new Observation
                    {
                        Status = ObservationStatus.Final,
                        Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "imaging")],
                        // No LOINC code for a lesion's SUVmax was confirmed: text, with a UCUM unit.
                        Code = new CodeableConcept { Text = "SUVmax" },
                        Subject = fhir.Subject,
                        Effective = new FhirDateTime(Date(pet.OccurredOn)),
                        BodySite = McodeCodes.BodySite(lesion.Site),
                        Value = McodeCodes.Suv(lesion.SuvMax),
                    });
                fhir.AddScanReport(pet.EventId, pet.OccurredOn, new CodeableConcept { Text = $"PET/CT ({pet.Indication.ToString().ToLowerInvariant()})" }, pet.Impression,
                    suv.Select(s => new ResourceReference(FhirEntries.Urn(s.Id))).ToList(),
                    fhir.Responses.MetabolicOf(pet.EventId) is { } m ? new FhirEntries.ScanResponse("EORTC", ResponseSummaries.Code(m.Category), McodeCodes.Trend(m.Category)) : null);
            },
            Charts = (pet, charts) =>
            {
                foreach (var l in pet.Lesions)
                    charts.SuvMax(new SuvPoint(pet.OccurredOn, l.LesionId, l.Site, l.SuvMax, !l.IsAvid || pet.BackgroundSuvMax is { } b && l.SuvMax <= b));
            },
        },
        new EventMeaning<CtResulted>
        {
            Summary = c => $"CT {c.Region}: " + (c.TargetLesions.Count == 0 ? "no target lesion" : $"sum of target diameters {Num(c.TargetLesions.Sum(l => l.LongestDiameterMm))} mm")
                           + (c.NonTargetLesions.Count > 0 ? $"; {c.NonTargetLesions.Count} non-target lesion(s)" : "")
                           + (c.NewLesions ? "; new lesions" : ""),
            Performs = ItemKinds.Ct,
            // The RECIST response as an mCODE disease status, in the report.
            Fhir = (ct, fhir) => fhir.AddScanReport(ct.EventId, ct.OccurredOn, McodeCodes.CtStudy(ct.Region, ct.Contrast), ct.Impression, [],
                fhir.Responses.RecistOf(ct.EventId) is { } r ? new FhirEntries.ScanResponse("RECIST 1.1", ResponseSummaries.Code(r.Category), McodeCodes.Trend(r.Category)) : null),
            Charts = (ct, charts) => charts.TumourBurden(ct.OccurredOn, ct.TargetLesions.Sum(l => l.LongestDiameterMm), ct.EventId),
        },
        new EventMeaning<EchocardiogramResulted>
        {
            Summary = e => $"Echocardiogram: LVEF {Num(e.LvefPercent)} %" + (e.GlobalLongitudinalStrainPercent is { } gls ? $", GLS {Num(gls)} %" : ""),
            Performs = ItemKinds.Echocardiogram,
            // LOINC 10230-1 "Left ventricular Ejection fraction"; GLS has no LOINC code the journey could confirm: text.
            Fhir = (echo, fhir) =>
            {
                fhir.Add(echo.EventId, new Observation
                {
                    Status = ObservationStatus.Final,
                    Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "imaging")],
                    Code = new CodeableConcept("http://loinc.org", "10230-1", "Left ventricular Ejection fraction"),
                    Subject = fhir.Subject,
                    Effective = new FhirDateTime(Date(echo.OccurredOn)),
                    Value = new Quantity(echo.LvefPercent, "%", "http://unitsofmeasure.org") { Unit = "%" },
                });
                if (echo.GlobalLongitudinalStrainPercent is { } gls)
                    fhir.Add(FhirEntries.DeterministicId($"{echo.EventId}/gls"), new Observation
                    {
                        Status = ObservationStatus.Final,
                        Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "imaging")],
                        Code = new CodeableConcept { Text = "Left ventricular global longitudinal strain" },
                        Subject = fhir.Subject,
                        Effective = new FhirDateTime(Date(echo.OccurredOn)),
                        Value = new Quantity(gls, "%", "http://unitsofmeasure.org") { Unit = "%" },
                    });
            },
        },
        // Retired: the imaging department's own assessment, frozen when recorded. Read from streams that hold one, never
        // listed nor charted: the journey derives every response from the measurements (Responses.ResponseHistory).
        new EventMeaning<ResponseAssessed>
        {
            Summary = r => $"RECIST 1.1 {ResponseSummaries.Code(r.Category)} as imaging assessed it when recorded (retired)",
            IsAssessment = true,
            IsRetired = true,
        },
    ];
}
