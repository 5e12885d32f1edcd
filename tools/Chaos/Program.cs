using System.CommandLine;
using PatientJourney.Chaos;

var events = new Option<int>("--events") { Description = "Events to drive through the department APIs", DefaultValueFactory = _ => 20_000 };
var concurrency = new Option<int>("--concurrency") { Description = "Patients in flight at once", DefaultValueFactory = _ => 24 };
var seed = new Option<int>("--seed") { Description = "Seed of the fault schedule", DefaultValueFactory = _ => 1 };
var interval = new Option<double>("--fault-interval") { Description = "Seconds between faults (a random pause of 1-2x this)", DefaultValueFactory = _ => 3 };
var keep = new Option<bool>("--keep") { Description = "Keep the run's database and vhost for inspection" };
var oneProcess = new Option<bool>("--departments-in-one-process") { Description = "The four departments in one process (services/Departments), killed together" };
var scaleOut = new Option<bool>("--scale-out") { Description = "Scaled out (2 departments' hosts, 3 journeys, a RabbitMQ cluster of 3, a PostgreSQL standby): kill -9 the queue's leader node, a journey, the outbox lock's holder" };
var faultsPerKind = new Option<int>("--faults-per-kind") { Description = "With --scale-out: faults of each kind, paced by the events accepted", DefaultValueFactory = _ => 10 };
var root = new RootCommand("Chaos run: kill -9 and restart every service, restart RabbitMQ and PostgreSQL while patients are recorded; then count")
{
    events, concurrency, seed, interval, keep, oneProcess, scaleOut, faultsPerKind,
};
root.SetAction(async (parse, ct) =>
{
    if (parse.GetValue(scaleOut))
    {
        var scaled = await ScaleOutRun.RunAsync(new ScaleOutOptions
        {
            Events = parse.GetValue(events), Concurrency = parse.GetValue(concurrency), Seed = parse.GetValue(seed),
            FaultsPerKind = parse.GetValue(faultsPerKind), Keep = parse.GetValue(keep),
            // PJ_CHAOS_SETTINGS="Logging__LogLevel__PatientJourney=Debug ...": settings every instance gets, to look into a failure.
            Settings = (Environment.GetEnvironmentVariable("PJ_CHAOS_SETTINGS") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(s => s.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : ""),
        }, ct);
        Console.WriteLine(scaled);
        Console.WriteLine(scaled.Passed ? "scale-out chaos: PASSED" : "scale-out chaos: FAILED");
        return scaled.Passed ? 0 : 1;
    }
    var summary = await ChaosRun.RunAsync(new ChaosOptions
    {
        Events = parse.GetValue(events), Concurrency = parse.GetValue(concurrency), Seed = parse.GetValue(seed),
        FaultIntervalSeconds = parse.GetValue(interval), Keep = parse.GetValue(keep),
        DepartmentsInOneProcess = parse.GetValue(oneProcess),
    }, ct);
    Console.WriteLine(summary);
    Console.WriteLine(summary.Passed ? "chaos: PASSED (lost 0, duplicates 0, projections equal a rebuild)" : "chaos: FAILED");
    return summary.Passed ? 0 : 1;
});
return await root.Parse(args).InvokeAsync();
