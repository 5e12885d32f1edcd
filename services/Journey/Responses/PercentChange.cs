namespace PatientJourney.Journey.Responses;

/// <summary>A change in percent, for display: never compared with a threshold (the criteria compare exact values).</summary>
public static class PercentChange
{
    /// <summary>(value - reference) / reference in percent, to 0.1, halves away from zero; none when the reference is 0.</summary>
    public static decimal? From(decimal reference, decimal value) =>
        reference == 0m ? null : Math.Round((value - reference) / reference * 100m, 1, MidpointRounding.AwayFromZero);
}
