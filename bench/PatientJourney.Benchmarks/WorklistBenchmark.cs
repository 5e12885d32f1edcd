using System.Diagnostics;
using Marten;
using Npgsql;
using PatientJourney.Hosting.Security;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Contracts.Imaging;
using PatientJourney.Harness;
using PatientJourney.Journey;
using PatientJourney.Journey.PatientJourneys;
using PatientJourney.Journey.Projections;
using PatientJourney.Journey.Worklist;

namespace PatientJourney.Benchmarks;

/// <summary>
/// /worklist latency with many patients: generates journeys, appends them to the journey's streams and stores their
/// read models (the journey's own projection code) straight into a database of its own, starts the real journey
/// service on it and times requests.
/// </summary>
public static class WorklistBenchmark
{
    private const string Database = "pj_bench_worklist";

    /// <summary>Each query's latency (ms) and answer size; the database is dropped afterwards.</summary>
    public sealed record QueryFigures(string Query, double P50, double P95, double P99, long Bytes);

    public static async Task<IReadOnlyList<QueryFigures>> RunAsync(int patients, int requests, string journeyDll, TextWriter output)
    {
        try
        {
            return await MeasureAsync(patients, requests, journeyDll, output);
        }
        finally
        {
            await SharedServers.DropDatabaseAsync(Database);
        }
    }

    private static async Task<IReadOnlyList<QueryFigures>> MeasureAsync(int patients, int requests, string journeyDll, TextWriter output)
    {
        var connectionString = await FreshDatabaseAsync(Database);
        var stopwatch = Stopwatch.StartNew();
        using (var store = JourneyServiceExtensions.OpenJourneyStore(connectionString))
        {
            await StoreJourneysAsync(store, patients);
            await using var session = store.QuerySession();
            var rows = await session.Query<WorklistEntry>().CountAsync();
            output.WriteLine($"stored {patients:N0} patients (events and read models), {rows:N0} worklist rows in {stopwatch.Elapsed.TotalSeconds:F1} s");
        }
        await AnalyzeAsync(connectionString);

        using var journey = new ServiceProcess("journey", journeyDll, ServiceCatalog.ReadSideEnvironment(connectionString), LogFile(Database, "journey"));
        journey.Start();
        try
        {
            using var http = AuthenticatedClient.Create(journey.BaseAddress, AuthenticatedClient.DevelopmentToken(Roles.Clinician, "bench"), TimeSpan.FromSeconds(100));
            await journey.WaitReadyAsync(TimeSpan.FromMinutes(1));
            var asOf = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");
            // As of today every patient's read model is current, so the answer comes from the worklist index alone.
            (string Label, Func<int, string> Path)[] queries =
            [
                ($"/worklist?asOf={asOf}", _ => $"/worklist?asOf={asOf}"),
                ($"/worklist?asOf={asOf}&status=due", _ => $"/worklist?asOf={asOf}&status=due"),
                ($"/worklist?asOf={asOf}&status=upcoming&limit=50", _ => $"/worklist?asOf={asOf}&status=upcoming&limit=50"),
                // A different patient each time, so no answer comes from a warm cache line of the one before.
                ("/patients/{id}/journey (a different patient each time)", i => $"/patients/BENCH-{(i * 7919) % patients:D6}/journey"),
            ];
            var figures = new List<QueryFigures>(queries.Length);
            foreach (var (label, path) in queries)
            {
                for (var i = 0; i < 20; i++) await http.GetStringAsync(path(requests + i)); // warm-up
                var timings = new List<double>(requests);
                long bytes = 0;
                for (var i = 0; i < requests; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    bytes += (await http.GetByteArrayAsync(path(i))).Length;
                    timings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                timings.Sort();
                var query = new QueryFigures(label, P(timings, 0.50), P(timings, 0.95), P(timings, 0.99), bytes / requests);
                output.WriteLine($"| `{label}` | {patients:N0} | {requests} | {query.P50:F1} | {query.P95:F1} | {query.P99:F1} | {query.Bytes:N0} |");
                figures.Add(query);
            }
            return figures;
        }
        finally
        {
            journey.Kill();
        }
    }

    /// <summary>A fresh log file for one service of a benchmark, named in the error if the service fails to start.</summary>
    internal static string LogFile(string database, string service)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{database}-{service}.log");
        File.Delete(path);
        return path;
    }

    /// <summary>
    /// Appends generated journeys to the journey's streams and writes their read models with the journey's own code,
    /// 500 patients a transaction (the journey endpoint reads the stream, the worklist the read models).
    /// </summary>
    internal static async Task StoreJourneysAsync(DocumentStore store, int patients)
    {
        var random = new Random(42);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync(); // the read models' upserts do not create tables
        foreach (var chunk in Enumerable.Range(0, patients).Chunk(500))
        {
            await using var session = store.LightweightSession();
            var views = new List<PatientJourneyView>(chunk.Length);
            foreach (var i in chunk)
            {
                var id = $"BENCH-{i:D6}";
                var events = Journey(i, random).OrderBy(e => e.OccurredOn).ToList();
                session.Events.StartStream(id, events.Cast<object>().ToArray());
                views.Add(JourneyProjection.Project(id, events, events.Count));
            }
            PatientReadModels.WriteAll(session, views); // as the journey writes a batch: a statement per table
            await session.SaveChangesAsync();
        }
    }

    internal static double P(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    /// <summary>
    /// Shapes like the seed case's surveillance: a plan, CTs every ~3 months, visits; a fifth booked or deferred, a tenth
    /// ended or deceased; a third given doxorubicin before it (the exposure rules' echocardiograms), a twentieth with an
    /// interval override.
    /// </summary>
    internal static IEnumerable<ClinicalEvent> Journey(int i, Random random)
    {
        var id = $"BENCH-{i:D6}";
        var start = new DateOnly(2019, 1, 1).AddDays(random.Next(0, 6 * 365));
        var recorded = DateTimeOffset.UtcNow;
        var events = new List<ClinicalEvent>
        {
            new PatientRegistered { EventId = Guid.NewGuid(), PatientId = id, OccurredOn = start.AddMonths(-12), RecordedAt = recorded, Sex = Sex.Female, BirthDate = new DateOnly(1960, 1, 1), DisplayName = $"Patient {i}" },
            new SurveillancePlanStarted { EventId = Guid.NewGuid(), PatientId = id, OccurredOn = start, RecordedAt = recorded, Protocol = random.Next(2) == 0 ? SurveillanceProtocolIds.CtEvery3MonthsVisitsMonthly : SurveillanceProtocolIds.EsmoSoftTissueSarcomaHighGrade },
        };
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        for (var on = start.AddMonths(3).AddDays(random.Next(-10, 20)); on < today && random.Next(8) > 0; on = on.AddMonths(3).AddDays(random.Next(-10, 20)))
            events.Add(new CtResulted { EventId = Guid.NewGuid(), PatientId = id, OccurredOn = on, RecordedAt = recorded, Region = "chest", TargetLesions = [] });
        for (var on = start.AddMonths(1); on < today && random.Next(12) > 0; on = on.AddMonths(random.Next(1, 4)))
            events.Add(new ClinicVisitRecorded { EventId = Guid.NewGuid(), PatientId = id, OccurredOn = on, RecordedAt = recorded, Ecog = random.Next(0, 3) });
        // A third given 4-6 cycles of doxorubicin 60 mg/m2 before surveillance (most reach 250 mg/m2), half of them with an echocardiogram since.
        if (i % 3 == 0)
        {
            var firstCycle = start.AddMonths(-8);
            events.Add(new ChemoRegimenStarted { EventId = Guid.NewGuid(), PatientId = id, OccurredOn = firstCycle, RecordedAt = recorded, RegimenId = "R1", Name = "doxorubicin", CycleLengthDays = 21, HeightCm = 165, WeightKg = 65, BsaM2 = 1.73m, Drugs = [] });
            var cycles = random.Next(4, 7);
            for (var n = 1; n <= cycles; n++)
                events.Add(new ChemoCycleCompleted
                {
                    EventId = Guid.NewGuid(), PatientId = id, OccurredOn = firstCycle.AddDays(21 * (n - 1) + 3), RecordedAt = recorded, RegimenId = "R1", CycleNumber = n,
                    StartedOn = firstCycle.AddDays(21 * (n - 1)), BsaM2 = 1.73m, Drugs = [], CumulativeDoxorubicinMgPerM2 = 60m * n, CumulativeDoxorubicinEquivalentMgPerM2 = 60m * n,
                });
            events.Add(new ChemoRegimenStopped { EventId = Guid.NewGuid(), PatientId = id, OccurredOn = firstCycle.AddDays(21 * cycles + 7), RecordedAt = recorded, RegimenId = "R1", Reason = "completed" });
            if (random.Next(2) == 0 && start.AddMonths(6) < today)
                events.Add(new EchocardiogramResulted { EventId = Guid.NewGuid(), PatientId = id, OccurredOn = start.AddMonths(6), RecordedAt = recorded, LvefPercent = random.Next(45, 70) });
        }
        // What navigators did (issue 30): a fifth of the patients with a booking or a deferral, a tenth ended or deceased.
        var yesterday = today.AddDays(-1);
        ClinicalEvent? navigation = (i % 20) switch
        {
            0 or 1 => new AppointmentBooked { EventId = Guid.NewGuid(), PatientId = id, OccurredOn = yesterday, RecordedAt = recorded, Kind = SurveillanceItemKinds.Ct, ScheduledOn = today.AddDays(random.Next(1, 60)) },
            2 or 3 => new SurveillanceItemDeferred { EventId = Guid.NewGuid(), PatientId = id, OccurredOn = yesterday, RecordedAt = recorded, Kind = SurveillanceItemKinds.ClinicVisit, Until = today.AddDays(random.Next(1, 60)), Reason = "patient abroad" },
            4 => new SurveillancePlanEnded { EventId = Guid.NewGuid(), PatientId = id, OccurredOn = yesterday, RecordedAt = recorded, Reason = SurveillancePlanEndReason.Transferred },
            5 => new PatientDied { EventId = Guid.NewGuid(), PatientId = id, OccurredOn = yesterday, RecordedAt = recorded },
            6 => new SurveillanceIntervalOverridden { EventId = Guid.NewGuid(), PatientId = id, OccurredOn = yesterday, RecordedAt = recorded, Kind = SurveillanceItemKinds.Ct, IntervalMonths = 6, Reason = "agreed at MDT" },
            _ => null,
        };
        if (navigation is not null) events.Add(navigation);
        return events;
    }

    /// <summary>An empty database of the benchmark's own on the shared server; its connection string.</summary>
    internal static async Task<string> FreshDatabaseAsync(string database)
    {
        await SharedServers.DropDatabaseAsync(database);
        await SharedServers.CreateDatabaseAsync(database);
        return SharedServers.ConnectionStringOf(database);
    }

    internal static async Task AnalyzeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // As autovacuum would soon after such a load: statistics, and the visibility map index-only scans rely on.
        await using var analyze = new NpgsqlCommand("vacuum analyze", connection);
        await analyze.ExecuteNonQueryAsync();
    }
}
