using PatientJourney.Benchmarks;
using PatientJourney.Benchmarks.Pipeline;
using Xunit.Abstractions;

namespace PatientJourney.IntegrationTests.Benchmarks;

/// <summary>
/// The benchmarks in a small size, so that they never rot: every phase runs against the real services, PostgreSQL and
/// RabbitMQ and reports its figures. No speed is asserted here (figures are docs/benchmarks.md's business); what is
/// asserted is that the figures are whole: each accepted event reached the journey and was timed.
/// </summary>
[Collection(ExclusiveBroker.Name)] // the five services and the load would skew the timing-free tests around it
public class BenchmarkSmokeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(true)] // the four departments in one process (services/Departments), the benchmark's default
    [InlineData(false)] // each department a process of its own (--departments-apart)
    public async Task A_small_pipeline_run_times_every_accepted_event_into_the_journey_beside_every_raw_baseline(bool departmentsInOneProcess)
    {
        using var log = new StringWriter();
        var options = new PipelineOptions
        {
            Clients = 4,
            Batch = 8, // saturation through POST /batch; the warm-up and the offered load post requests one by one
            Warmup = TimeSpan.FromSeconds(2),
            OfferedPerSecond = 40,
            Offered = TimeSpan.FromSeconds(3),
            Saturation = TimeSpan.FromSeconds(4),
            BaselineDuration = TimeSpan.FromSeconds(2),
            BaselineItems = 2_000,
            DepartmentsInOneProcess = departmentsInOneProcess,
            Output = log,
        };
        var figures = await PipelineBenchmark.RunAsync(options);
        output.WriteLine(log.ToString());
        output.WriteLine(PipelineBenchmark.Report(figures, options));

        Assert.All(new[] { figures.BareHttp, figures.RawBroker, figures.RawCopy }, b => Assert.True(b.PerSecond > 0, $"{b.Stage} measured nothing"));
        foreach (var phase in new[] { figures.Offered, figures.Saturation })
        {
            Assert.True(phase.Load.Accepted > 0, $"{phase.Name}: nothing accepted");
            Assert.Equal(0, phase.Load.Refused);
            Assert.Equal(0, phase.Load.Failed);
            Assert.Equal(phase.Load.Accepted, phase.Latency.Events);
            Assert.True(double.IsFinite(phase.Latency.Max), $"{phase.Name}: an accepted event never became visible in the journey");
        }
        Assert.Equal(departmentsInOneProcess ? ["Departments", "Journey"] : ["Chemotherapy", "Diagnosis", "Imaging", "Interventional", "Journey"],
            figures.PeakRssMegabytes.Keys.Order());
        Assert.True(figures.Saturation.CpuSeconds.GetValueOrDefault("Journey") > 0, "no CPU figure for the journey");
        Assert.All(figures.PeakRssMegabytes, r => Assert.True(r.Value > 0, $"no memory figure for {r.Key}"));
    }

    [Fact]
    public async Task A_small_read_api_run_answers_every_worklist_and_journey_query_from_stored_patients()
    {
        using var log = new StringWriter();
        var figures = await WorklistBenchmark.RunAsync(300, 5, ServiceCatalog.AssemblyOf(ServiceCatalog.Journey), log);
        output.WriteLine(log.ToString());

        Assert.Equal(4, figures.Count);
        // Every answer held something: the journey endpoint found each patient's events, the worklist its rows.
        Assert.All(figures, q => Assert.True(q.Bytes > 100 && q.P50 > 0, $"{q.Query}: {q.Bytes} bytes"));
    }

    [Fact]
    public async Task A_small_rebuild_run_rebuilds_every_stored_patient_beside_its_raw_baseline()
    {
        using var log = new StringWriter();
        var figures = await RebuildBenchmark.RunAsync(3_000, log);
        output.WriteLine(log.ToString());

        Assert.Equal(3_000, figures.Events);
        Assert.True(figures.Patients > 0);
        Assert.True(figures.EventsPerSecond > 0);
        // The baseline read every event row and copied rows like each read-model table the rebuild wrote.
        var baseline = figures.Baseline;
        Assert.NotNull(baseline);
        Assert.Equal(figures.Events, baseline.Events);
        Assert.All(baseline.Tables, t => Assert.True(t.Rows > 0, $"no rows like {t.Table}"));
        Assert.Equal(baseline.Tables.Sum(t => t.Rows), baseline.Copy.Items);
        Assert.True(baseline.Read.PerSecond > 0 && baseline.Copy.PerSecond > 0, baseline.ToString());
        Assert.True(double.IsFinite(figures.Ratio) && figures.Ratio > 0, figures.ToString());
    }

    [Fact]
    public async Task A_small_backup_run_restores_every_stored_event_to_a_point_in_time()
    {
        using var log = new StringWriter();
        var figures = await BackupBenchmark.RunAsync(3_000, log);
        output.WriteLine(log.ToString());

        Assert.True(figures.BackupBytes > 0 && figures.ReplayedWalBytes > 0, figures.ToString());
        Assert.Equal(300, figures.EventsAfterBackup); // and the benchmark checked the restored cluster holds all 3,300
    }
}
