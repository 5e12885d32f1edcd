namespace PatientJourney.Journey.Catalogue;

/// <summary>A CT's sum of target-lesion diameters, with the RECIST category it was assessed as (none for the baseline).</summary>
public sealed record TumourBurdenPoint(DateOnly PerformedOn, decimal SumOfDiametersMm, string? Category, Guid CtEventId);

/// <summary>One lesion's SUVmax on one PET/CT; resolved when its uptake is at background (or it is no longer listed).</summary>
public sealed record SuvPoint(DateOnly PerformedOn, string LesionId, string Site, decimal SuvMax, bool Resolved = false);

/// <summary>The points of the dashboard's charts, gathered from a patient's events (what each adds is in its catalogue entry).</summary>
public sealed class ChartPoints
{
    private readonly List<(DateOnly PerformedOn, decimal SumOfDiametersMm, Guid CtEventId)> _ct = [];
    private readonly List<SuvPoint> _suv = [];
    private readonly Dictionary<Guid, string> _categoryByCt = [];

    public void TumourBurden(DateOnly performedOn, decimal sumOfDiametersMm, Guid ctEventId) => _ct.Add((performedOn, sumOfDiametersMm, ctEventId));

    /// <summary>A CT's RECIST category; one assessment a CT.</summary>
    public void Assessed(Guid ctEventId, string category) => _categoryByCt[ctEventId] = category;

    public void SuvMax(SuvPoint point) => _suv.Add(point);

    public bool HasSuvMax(DateOnly performedOn, string lesionId) => _suv.Any(p => p.PerformedOn == performedOn && p.LesionId == lesionId);

    /// <summary>By date (a stable sort: a day's points keep the order their events came in).</summary>
    public IReadOnlyList<TumourBurdenPoint> TumourBurdenPoints() => _ct.OrderBy(c => c.PerformedOn)
        .Select(c => new TumourBurdenPoint(c.PerformedOn, c.SumOfDiametersMm, _categoryByCt.GetValueOrDefault(c.CtEventId), c.CtEventId)).ToList();

    public IReadOnlyList<SuvPoint> SuvMaxPoints() => _suv.OrderBy(p => p.PerformedOn).ThenBy(p => p.LesionId, StringComparer.Ordinal).ToList();
}
