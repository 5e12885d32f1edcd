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
return await new RootCommand("PatientJourney benchmarks (figures go to docs/benchmarks.md)") { worklist }.Parse(args).InvokeAsync();
