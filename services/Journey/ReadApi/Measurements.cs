using PatientJourney.Contracts;
using PatientJourney.Contracts.Imaging;
using PatientJourney.Journey.Projections;

namespace PatientJourney.Journey.ReadApi;

/// <summary>A CT's sum of target-lesion diameters, with the RECIST category it was assessed as (none for the baseline).</summary>
public sealed record TumourBurdenPoint(DateOnly PerformedOn, decimal SumOfDiametersMm, string? Category, Guid CtEventId);

/// <summary>One lesion's SUVmax on one PET/CT.</summary>
public sealed record SuvPoint(DateOnly PerformedOn, string LesionId, string Site, decimal SuvMax);

/// <summary>What the dashboard's charts plot, in clinical order.</summary>
public sealed record MeasurementsResponse(string PatientId, IReadOnlyList<TumourBurdenPoint> TumourBurden, IReadOnlyList<SuvPoint> SuvMax);

public static class Measurements
{
    public static MeasurementsResponse From(string patientId, IReadOnlyList<ClinicalEvent> events)
    {
        var assessed = events.OfType<ResponseAssessed>().ToDictionary(r => r.CtEventId, r => JourneyProjection.RecistCode(r.Category));
        var burden = events.OfType<CtResulted>().OrderBy(c => c.OccurredOn)
            .Select(c => new TumourBurdenPoint(c.OccurredOn, c.TargetLesions.Sum(l => l.LongestDiameterMm), assessed.GetValueOrDefault(c.EventId), c.EventId))
            .ToList();
        var suv = events.OfType<PetCtResulted>().OrderBy(p => p.OccurredOn)
            .SelectMany(p => p.Lesions.Select(l => new SuvPoint(p.OccurredOn, l.LesionId, l.Site, l.SuvMax)))
            .ToList();
        return new MeasurementsResponse(patientId, burden, suv);
    }
}
