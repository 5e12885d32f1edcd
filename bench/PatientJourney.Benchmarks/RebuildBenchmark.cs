using System.Diagnostics;
using Marten;
using PatientJourney.Benchmarks.Baselines;
using PatientJourney.Contracts;
using PatientJourney.Harness;
using PatientJourney.Journey;
using PatientJourney.Journey.PatientJourneys;
using PatientJourney.Journey.Projections;
using PatientJourney.Journey.Worklist;

namespace PatientJourney.Benchmarks;

public sealed record RebuildFigures(long Events, int Patients, TimeSpan Elapsed, RawRebuildResult? Baseline = null)
{
    public double EventsPerSecond => Events / Elapsed.TotalSeconds;

    /// <summary>The rebuild's events/s over the raw baseline's (issue 34 asks for at least 0.5); NaN without a baseline.</summary>
    public double Ratio => Baseline is null ? double.NaN : EventsPerSecond / Baseline.EventsPerSecond;

    public override string ToString() =>
        $"rebuild: {Events:N0} events, {Patients:N0} patients, {Elapsed.TotalSeconds:F1} s, {EventsPerSecond:N0} events/s"
        + (Baseline is not { } b ? "" : $"; raw baseline (Npgsql read {b.Read.Items:N0} event rows + binary COPY of {b.Copy.Items:N0} read-model rows): "
            + $"{b.Elapsed.TotalSeconds:F1} s, {b.EventsPerSecond:N0} events/s; ratio {Ratio * 100:F0} %");
}

/// <summary>
/// Read-model rebuild throughput: stores generated journeys as the journey's event streams in a database of its own
/// (untimed), then times <see cref="JourneyRebuild.RebuildAllAsync"/> rewriting every patient's read models, and then
/// the raw baseline of the same work on the same database (<see cref="RawRebuildBaseline"/>).
/// </summary>
public static class RebuildBenchmark
{
    private const string Database = "pj_bench_rebuild";
    private const int PatientsPerSession = 500;

    public static async Task<RebuildFigures> RunAsync(int events, TextWriter output, CancellationToken ct = default)
    {
        var connectionString = await WorklistBenchmark.FreshDatabaseAsync(Database);
        try
        {
            using var store = JourneyServiceExtensions.OpenJourneyStore(connectionString);
            var stopwatch = Stopwatch.StartNew();
            var patients = await StoreJourneysAsync(store, events, ct);
            output.WriteLine($"stored {events:N0} events of {patients:N0} patients in {stopwatch.Elapsed.TotalSeconds:F1} s");
            await WorklistBenchmark.AnalyzeAsync(connectionString);

            var figures = await TimeRebuildAsync(store, events, ct);
            // After the rebuild, so that the read-model rows exist to be copied, and so that whatever the baseline warms
            // (the event rows both read, in shared buffers and the OS cache) cannot help the rebuild.
            var baseline = await RawRebuildBaseline.RunAsync(connectionString, ReadModelTables(store), ct);
            if (baseline.Events != events) throw new InvalidOperationException($"The baseline read {baseline.Events:N0} event rows of {events:N0}.");
            figures = figures with { Baseline = baseline };
            output.WriteLine(figures);
            output.WriteLine(baseline);
            return figures;
        }
        finally
        {
            await SharedServers.DropDatabaseAsync(Database);
        }
    }

    /// <summary>One timed rebuild of every patient in the store.</summary>
    internal static async Task<RebuildFigures> TimeRebuildAsync(DocumentStore store, long events, CancellationToken ct)
    {
        // Tables are created before the clock starts: a rebuild in production finds them there.
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var stopwatch = Stopwatch.StartNew();
        var patients = await JourneyRebuild.RebuildAllAsync(store, ct: ct);
        return new RebuildFigures(events, patients, stopwatch.Elapsed);
    }

    /// <summary>
    /// The tables the rebuild writes its read models into: the views and the worklist. Besides them it upserts a
    /// checkpoint document per batch, and the worklist's triggers add a count delta per row; the baseline leaves both out.
    /// </summary>
    private static string[] ReadModelTables(IDocumentStore store) =>
        [.. new[] { typeof(PatientJourneyView), typeof(WorklistEntry) }.Select(t => store.Options.FindOrResolveDocumentType(t).TableName.QualifiedName)];

    /// <summary>
    /// Exactly <paramref name="events"/> events as patients' journey streams, stored as the journey's consumer stores
    /// them (each event under its own eventId); sessions of a few hundred patients, two at a time. Returns the patients.
    /// Patients are numbered from <paramref name="firstPatient"/>: a second call adds patients rather than meeting the first's.
    /// </summary>
    internal static async Task<int> StoreJourneysAsync(DocumentStore store, long events, CancellationToken ct, int firstPatient = 0)
    {
        // The tables first, or the parallel sessions race to create them.
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var patients = 0;
        await Parallel.ForEachAsync(Sessions(events, firstPatient), new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = ct },
            async (journeys, token) =>
            {
                Interlocked.Add(ref patients, journeys.Count);
                await using var session = store.LightweightSession();
                foreach (var (patientId, stream) in journeys)
                {
                    session.Events.StartStream(patientId, stream.Select(e =>
                    {
                        var stored = session.Events.BuildEvent(e);
                        stored.Id = e.EventId;
                        return (object)stored;
                    }).ToArray());
                }
                await session.SaveChangesAsync(token);
            });
        return patients;
    }

    /// <summary>Generated journeys, a session's worth at a time; the last one is cut short to hit the event count.</summary>
    private static IEnumerable<List<(string PatientId, List<ClinicalEvent> Stream)>> Sessions(long events, int firstPatient)
    {
        var random = new Random(42);
        var session = new List<(string, List<ClinicalEvent>)>(PatientsPerSession);
        for (var (i, left) = (firstPatient, events); left > 0; i++)
        {
            var stream = WorklistBenchmark.Journey(i, random).Take((int)Math.Min(left, int.MaxValue)).ToList();
            left -= stream.Count;
            session.Add((stream[0].PatientId, stream));
            if (session.Count < PatientsPerSession) continue;
            yield return session;
            session = new List<(string, List<ClinicalEvent>)>(PatientsPerSession);
        }
        if (session.Count > 0) yield return session;
    }
}
