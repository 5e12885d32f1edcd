namespace PatientJourney.Benchmarks.Baselines;

/// <summary>One raw limit: how many items a stage moved in how long.</summary>
public sealed record BaselineResult(string Stage, long Items, TimeSpan Elapsed)
{
    public double PerSecond => Items / Elapsed.TotalSeconds;
}
