using System.CommandLine;
using Marten;
using Microsoft.Extensions.Configuration;
using PatientJourney.BuildingBlocks;
using PatientJourney.BuildingBlocks.EventStore;
using PatientJourney.Journey;
using PatientJourney.Journey.Audit;
using PatientJourney.Journey.Projections;
using Spectre.Console;

// Operator commands on the journey's own store: verify the hash chains, rebuild the read models.
var connection = new Option<string>("--connection")
{
    Description = "PostgreSQL connection string of the journey (default: ConnectionStrings__Postgres, else the demo database)",
    DefaultValueFactory = _ => InfrastructureSettings.From(new ConfigurationBuilder().AddEnvironmentVariables().Build()).PostgresConnectionString,
};
var patient = new Option<string?>("--patient") { Description = "One patient; default: every patient" };
var batch = new Option<int>("--batch") { Description = "Patients per checkpoint", DefaultValueFactory = _ => 200 };

var verify = new Command("verify", "Recheck the hash chain of one patient or of every patient; exit 1 if any event was altered") { connection, patient };
verify.SetAction(async (parse, ct) =>
{
    using var store = Open(parse.GetValue(connection)!);
    await using var session = store.QuerySession();
    var patients = parse.GetValue(patient) is { } one ? [one]
        : await session.QueryAsync<string>($"select id from {JourneyService.Schema}.mt_streams order by id", ct);
    var altered = 0;
    foreach (var id in patients)
    {
        var result = await EventChain.VerifyAsync(session, id, ct);
        if (result.Intact) continue;
        altered++;
        AnsiConsole.MarkupLineInterpolated($"[red]{id}[/]: event {result.FirstAlteredEventId} at version {result.FirstAlteredVersion}: {result.Reason}");
    }
    AnsiConsole.MarkupLineInterpolated($"{patients.Count} patient(s) checked, [{(altered == 0 ? "green" : "red")}]{altered} altered[/]");
    return altered == 0 ? 0 : 1;
});

var rebuild = new Command("rebuild", "Rebuild every patient's read models from the journey's events; resumes after a kill") { connection, batch };
rebuild.SetAction(async (parse, ct) =>
{
    using var store = Open(parse.GetValue(connection)!);
    var started = DateTime.UtcNow;
    var total = await AnsiConsole.Progress()
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
        .StartAsync(async context =>
        {
            var task = context.AddTask("rebuilding");
            var resumedAt = -1;
            return await JourneyRebuild.RebuildAllAsync(store, parse.GetValue(batch), new ImmediateProgress<RebuildProgress>(p =>
            {
                if (resumedAt < 0) resumedAt = p.Done;
                var rate = (p.Done - resumedAt) / Math.Max(0.001, (DateTime.UtcNow - started).TotalSeconds);
                task.MaxValue = Math.Max(1, p.Total);
                task.Value = p.Done;
                task.Description = $"rebuilding {p.Done:N0}/{p.Total:N0} patients, {rate:N0}/s";
            }), ct);
        });
    AnsiConsole.MarkupLineInterpolated($"rebuilt {total:N0} patient(s) in {(DateTime.UtcNow - started).TotalSeconds:F1} s");
    return 0;
});

var vhost = new Option<string>("--vhost") { Description = "RabbitMQ vhost of the journey to feed (an empty journey database consuming from it)", Required = true };
var replay = new Command("replay", "Re-drive every department's own event store through the bus, e.g. into a new, empty journey") { connection, vhost };
replay.SetAction(async (parse, ct) =>
{
    var settings = InfrastructureSettings.From(new ConfigurationBuilder().AddEnvironmentVariables().Build());
    var published = 0;
    await AnsiConsole.Status().StartAsync("replaying", async status =>
        published = await SourceReplay.ReplayAsync(parse.GetValue(connection)!, settings.RabbitMq with { VirtualHost = parse.GetValue(vhost)! },
            PatientJourney.Contracts.Departments.All, new ImmediateProgress<int>(n => status.Status($"replaying: {n:N0} events published")), ct));
    AnsiConsole.MarkupLineInterpolated($"published {published:N0} events, each confirmed by the broker");
    return 0;
});

return await new RootCommand("PatientJourney journey administration") { verify, rebuild, replay }.Parse(args).InvokeAsync();

static DocumentStore Open(string connectionString) => DocumentStore.For(opts =>
{
    opts.ConfigureClinicalEventStore(connectionString, JourneyService.Schema);
    PatientReadModels.Configure(opts);
});

/// <summary>Reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool and may report after the end).</summary>
internal sealed class ImmediateProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
