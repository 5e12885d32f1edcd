using System.CommandLine;
using PatientJourney.Benchmarks;

var patients = new Option<int>("--patients") { Description = "Patients to generate", DefaultValueFactory = _ => 100_000 };
var requests = new Option<int>("--requests") { Description = "Timed requests per query", DefaultValueFactory = _ => 200 };
var journey = new Option<string>("--journey-dll")
{
    Description = "The built journey service",
    DefaultValueFactory = _ => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../services/Journey/bin/Release/net10.0/PatientJourney.Journey.dll")),
};
var worklist = new Command("worklist", "/worklist latency with many patients stored") { patients, requests, journey };
worklist.SetAction((parse, _) => WorklistBenchmark.RunAsync(parse.GetValue(patients), parse.GetValue(requests), parse.GetValue(journey)!, Console.Out));
var dashboardDll = new Option<string>("--dashboard-dll")
{
    Description = "The built dashboard service",
    DefaultValueFactory = _ => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../services/Dashboard/bin/Release/net10.0/PatientJourney.Dashboard.dll")),
};
var pagePatients = new Option<int>("--patients") { Description = "Patients to generate", DefaultValueFactory = _ => 10_000 };
var dashboard = new Command("dashboard", "Dashboard page latency with many patients in the journey") { pagePatients, requests, journey, dashboardDll };
dashboard.SetAction((parse, _) => DashboardBenchmark.RunAsync(parse.GetValue(pagePatients), parse.GetValue(requests), parse.GetValue(journey)!, parse.GetValue(dashboardDll)!, Console.Out));
return await new RootCommand("PatientJourney benchmarks (figures go to docs/benchmarks.md)") { worklist, dashboard }.Parse(args).InvokeAsync();
