using System.Diagnostics.Metrics;

namespace PatientJourney.Hosting.Telemetry;

/// <summary>
/// An observable gauge whose values are asked of the store or the broker: in the background, at most once every
/// <see cref="Freshness"/> a source, so that a collection never waits on a round trip and a collector asking often adds
/// no load. Each host adds its own sources (four departments in one process each add theirs) and removes them when it
/// stops. Nothing is asked while nothing collects.
/// </summary>
public sealed class SampledGauge
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);
    private readonly Lock _lock = new();
    private readonly List<Source> _sources = [];

    public SampledGauge(string name, string unit, string description) =>
        PatientJourneyTelemetry.Meter.CreateObservableGauge(name, Observe, unit, description);

    /// <summary>A source of measurements; dispose it to remove it.</summary>
    public IDisposable Add(Func<CancellationToken, Task<IReadOnlyList<Measurement<long>>>> read)
    {
        var source = new Source(read, this);
        lock (_lock) _sources.Add(source);
        return source;
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        Source[] sources;
        lock (_lock) sources = [.. _sources];
        return sources.SelectMany(s => s.Latest());
    }

    private sealed class Source(Func<CancellationToken, Task<IReadOnlyList<Measurement<long>>>> read, SampledGauge gauge) : IDisposable
    {
        private readonly CancellationTokenSource _stopping = new();
        private volatile IReadOnlyList<Measurement<long>> _latest = [];
        private long _askedAt; // a timestamp of TimeProvider.System, 0 until first asked
        private int _asking;

        public IReadOnlyList<Measurement<long>> Latest()
        {
            var asked = Interlocked.Read(ref _askedAt);
            if ((asked == 0 || TimeProvider.System.GetElapsedTime(asked) >= Freshness) && Interlocked.CompareExchange(ref _asking, 1, 0) == 0)
                _ = AskAsync();
            return _latest;
        }

        private async Task AskAsync()
        {
            try
            {
                Interlocked.Exchange(ref _askedAt, TimeProvider.System.GetTimestamp());
                _latest = await read(_stopping.Token);
            }
            catch
            {
                _latest = []; // no answer: no value, rather than an old one that looks current
            }
            finally
            {
                Interlocked.Exchange(ref _asking, 0);
            }
        }

        public void Dispose()
        {
            lock (gauge._lock) gauge._sources.Remove(this);
            _stopping.Cancel();
        }
    }
}
