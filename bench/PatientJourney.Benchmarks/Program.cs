using System.CommandLine;
using PatientJourney.Benchmarks;
using PatientJourney.Benchmarks.Baselines;
using PatientJourney.Benchmarks.Pipeline;
using PatientJourney.Harness;

var patients = new Option<int>("--patients") { Description = "Patients to generate", DefaultValueFactory = _ => 100_000 };
var requests = new Option<int>("--requests") { Description = "Timed requests per query", DefaultValueFactory = _ => 200 };
var journey = new Option<string>("--journey-dll")
{
    Description = "The built journey service",
    DefaultValueFactory = _ => ServiceCatalog.Journey.AssemblyPath("Release"),
};
var worklist = new Command("worklist", "/worklist latency with many patients stored") { patients, requests, journey };
worklist.SetAction(async (parse, _) =>
{
    await WorklistBenchmark.RunAsync(parse.GetValue(patients), parse.GetValue(requests), parse.GetValue(journey)!, Console.Out);
    return 0;
});
var dashboardDll = new Option<string>("--dashboard-dll")
{
    Description = "The built dashboard service",
    DefaultValueFactory = _ => ServiceCatalog.Dashboard.AssemblyPath("Release"),
};
var pagePatients = new Option<int>("--patients") { Description = "Patients to generate", DefaultValueFactory = _ => 10_000 };
var dashboard = new Command("dashboard", "Dashboard page latency with many patients in the journey") { pagePatients, requests, journey, dashboardDll };
dashboard.SetAction((parse, _) => DashboardBenchmark.RunAsync(parse.GetValue(pagePatients), parse.GetValue(requests), parse.GetValue(journey)!, parse.GetValue(dashboardDll)!, Console.Out));

var clients = new Option<int>("--clients") { Description = "Concurrent department clients at saturation", DefaultValueFactory = _ => 64 };
var seconds = new Option<int>("--seconds") { Description = "Length of the saturation phase", DefaultValueFactory = _ => 60 };
var offered = new Option<int>("--offered") { Description = "Requests a second in the fixed-load phase", DefaultValueFactory = _ => 500 };
var offeredSeconds = new Option<int>("--offered-seconds") { Description = "Length of the fixed-load phase", DefaultValueFactory = _ => 30 };
var batch = new Option<int>("--batch") { Description = "Entries per POST /batch at saturation (1: every request on its own)", DefaultValueFactory = _ => 1 };
var warmup = new Option<int>("--warmup") { Description = "Seconds of the offered load before anything is measured (the services' JIT settles)", DefaultValueFactory = _ => 40 };
var keep = new Option<bool>("--keep") { Description = "Keep the run's database and vhost for a look afterwards" };
var apart = new Option<bool>("--departments-apart") { Description = "Each department a process of its own instead of the four in one (services/Departments)" };
var clusterMode = new Option<bool>("--cluster") { Description = "Scaled out as ./run.sh --cluster: 3 journeys, 2 departments' hosts, a RabbitMQ cluster of 3 and a PostgreSQL standby (servers of the run's own)" };
var pipeline = new Command("pipeline", "Department APIs → stores → broker → journey, beside the raw limits of HTTP, RabbitMQ and COPY") { clients, seconds, offered, offeredSeconds, batch, warmup, keep, apart, clusterMode };
pipeline.SetAction(async (parse, ct) =>
{
    var options = new PipelineOptions
    {
        Clients = parse.GetValue(clients),
        Batch = parse.GetValue(batch),
        Saturation = TimeSpan.FromSeconds(parse.GetValue(seconds)),
        OfferedPerSecond = parse.GetValue(offered),
        Offered = TimeSpan.FromSeconds(parse.GetValue(offeredSeconds)),
        Warmup = TimeSpan.FromSeconds(parse.GetValue(warmup)),
        Keep = parse.GetValue(keep),
        DepartmentsInOneProcess = !parse.GetValue(apart),
        Cluster = parse.GetValue(clusterMode),
    };
    var figures = await PipelineBenchmark.RunAsync(options, ct);
    Console.WriteLine();
    Console.WriteLine(PipelineBenchmark.Report(figures, options));
    return 0;
});

var rebuildEvents = new Option<int>("--events") { Description = "Events to store before the rebuild", DefaultValueFactory = _ => 1_000_000 };
var rebuild = new Command("rebuild", "Rebuild of every patient's read models from the journey's events") { rebuildEvents };
rebuild.SetAction(async (parse, ct) =>
{
    await RebuildBenchmark.RunAsync(parse.GetValue(rebuildEvents), Console.Out, ct);
    return 0;
});

var backupEvents = new Option<int>("--events") { Description = "Events to store before the backup", DefaultValueFactory = _ => 1_000_000 };
var backup = new Command("backup", "infra/backup.sh and a point-in-time infra/restore.sh of a store of that many events, on a cluster of its own") { backupEvents };
backup.SetAction(async (parse, ct) =>
{
    await BackupBenchmark.RunAsync(parse.GetValue(backupEvents), Console.Out, ct);
    return 0;
});

// The raw HTTP limit runs as a process of its own, as the services do; the pipeline benchmark starts it.
var port = new Option<int>("--port") { Required = true };
var bare = new Command("bare-endpoint", "A bare ASP.NET Core endpoint answering 202 (the pipeline benchmark's HTTP baseline)") { port };
bare.SetAction(async (parse, ct) =>
{
    await BareEndpoint.RunAsync(parse.GetValue(port), ct);
    return 0;
});
return await new RootCommand("PatientJourney benchmarks (figures go to docs/benchmarks.md)") { worklist, dashboard, pipeline, rebuild, backup, bare }.Parse(args).InvokeAsync();
