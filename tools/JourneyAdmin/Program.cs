using System.CommandLine;
using Marten;
using Microsoft.Extensions.Configuration;
using PatientJourney.StoreAndBus;
using PatientJourney.StoreAndBus.Messaging;
using PatientJourney.StoreAndBus.EventStore;
using PatientJourney.DepartmentKit.Outbox;
using PatientJourney.Journey;
using PatientJourney.Journey.Audit;
using PatientJourney.Journey.Projections;
using PatientJourney.JourneyAdmin;
using PatientJourney.Journey.Store;
using PatientJourney.Hosting.Security;
using PatientJourney.PlanDefinitions;
using Spectre.Console;

// Operator commands: verify the hash chains, rebuild the read models, replay the sources, mint development tokens,
// set up the broker's users, and list or re-drive the journey's dead letters.
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
    await EventChain.EnsureAsync(store, ct); // a database from before the chain's own table has its links carried over first
    await using var session = store.QuerySession();
    var patients = parse.GetValue(patient) is { } one ? [one]
        : await session.QueryAsync<string>(Tombstones.PatientStreamsSql(JourneyStore.Schema), ct);
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
    // The read models hold schedules: computed from the same catalogue as the journey's (its Surveillance:PlanDefinitions).
    var refused = PlanDefinitionFiles.Apply(new ConfigurationBuilder().AddEnvironmentVariables().Build(), out _);
    foreach (var file in refused) AnsiConsole.MarkupLineInterpolated($"[red]Surveillance:PlanDefinitions refused[/] {file}");
    if (refused.Count > 0) return 1;
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
    var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
    var settings = InfrastructureSettings.From(configuration);
    var target = settings.RabbitMq with { VirtualHost = parse.GetValue(vhost)! };
    var published = 0;
    await AnsiConsole.Status().StartAsync("replaying", async status =>
        published = await SourceReplay.ReplayAsync(parse.GetValue(connection)!, PatientJourney.Contracts.Departments.All,
            d => BrokerAccounts.ActingAs(target, configuration, d), settings.BusMessages, new ImmediateProgress<int>(n => status.Status($"replaying: {n:N0} events published")), ct));
    AnsiConsole.MarkupLineInterpolated($"published {published:N0} events, each confirmed by the broker");
    return 0;
});

var role = new Option<string[]>("--role") { Description = "clinician, navigator, auditor, admin or department:<name> (repeatable)", Required = true, AllowMultipleArgumentsPerToken = true };
var subject = new Option<string>("--sub") { Description = "Who the token names: recordedBy of what it records", DefaultValueFactory = _ => Environment.UserName };
var minutes = new Option<int>("--minutes") { Description = "Lifetime", DefaultValueFactory = _ => 480 };
var token = new Command("token", "Print a development token (signed with Auth__SigningKey, else the development key) for a role") { role, subject, minutes };
token.SetAction(parse =>
{
    var configured = Environment.GetEnvironmentVariable("Auth__SigningKey");
    Console.WriteLine(DevelopmentTokens.Issue(parse.GetValue(subject)!, parse.GetValue(role)!, TimeSpan.FromMinutes(parse.GetValue(minutes)),
        string.IsNullOrEmpty(configured) ? null : DevelopmentTokens.KeyFrom(configured)));
    return 0;
});

var brokerVhost = new Option<string>("--vhost") { Description = "RabbitMQ vhost", DefaultValueFactory = _ => Broker().VirtualHost };
var reader = new Option<string?>("--reader")
{
    HelpName = "name",
    Description = "Instead of the services: a read-only outside consumer's account (pj-reader-<name>), which may own only queues " +
                  "named reader-<name>[.<anything>], bind them to the department exchanges (PatientJourney.Contracts.*) and read them",
};
var department = new Option<string?>("--department")
{
    HelpName = "department",
    Description = "With --system: an outside system's account publishing this department's facts (diagnosis, chemotherapy, interventional, imaging)",
};
var system = new Option<string?>("--system")
{
    HelpName = "name",
    Description = "With --department: the system's name; its account pj-<department>.<name> may write the department's exchanges and nothing else",
};
var passwordFile = new Option<FileInfo?>("--password-file")
{
    HelpName = "path",
    Description = "With --reader or --department: where its password is; read when the file exists, else generated and written there (mode 0600) to hand over",
};
var rotate = new Option<bool>("--rotate")
{
    Description = "With --reader or --department: replace the password by a new one, written over --password-file, and close the account's open connections",
};
var developmentPasswords = new Option<bool>("--development-passwords")
{
    Description = "Give a service whose RabbitMq__Accounts__<service>__Password is not set the development password <user>-dev (a development machine only)",
};
var brokerSetup = new Command("broker-setup", """
    Create or update each service's RabbitMQ user (pj-<service>) with only the permissions it needs, through the
    management API as the administrator (RabbitMq__Admin__Username / RabbitMq__Admin__Password, else RabbitMq__Username /
    RabbitMq__Password; RabbitMq__Host, RabbitMq__ManagementPort). Each service's password is
    RabbitMq__Accounts__<service>__Password, as infra/up.sh generates it into its secrets file
    (${PJ_SECRETS_FILE:-/etc/patientjourney/secrets.env}); a missing one is an error unless --development-passwords.

    A new department (one of ours, or an outside one sending to the journey) gets its account from the contracts: its
    events in a namespace PatientJourney.Contracts.<Department>, its name in Departments.All and in infra/secrets.sh's
    PJ_BROKER_SERVICES; then infra/up.sh generates its password and this command gives it its own exchanges and
    nothing else (docs/security.md). Its integration engine is handed pj-<department> and that password only.
    An outside system recording one of our departments' facts on the bus (the hospital's RIS publishing imaging
    results) gets its own account with --department <department> --system <name> --password-file <path>:
    pj-<department>.<name>, the department's permissions and a password of its own; the journey takes that department's
    events from it. A read-only outside consumer (an analytics team, a registry) gets its own with --reader <name>
    --password-file <path>: it may bind its own queues to the department exchanges and read them, and can write, bind or
    read nothing else. Either password is generated into the file (mode 0600) and never printed; --rotate replaces it.
    See docs/integration.md.
    """) { brokerVhost, reader, department, system, passwordFile, rotate, developmentPasswords };
brokerSetup.SetAction(async (parse, ct) =>
{
    var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
    var on = parse.GetValue(brokerVhost)!;
    using var http = BrokerAccounts.ManagementApi(BrokerAccounts.Administrator(Broker(), configuration));
    var (readerName, departmentName, systemName) = (parse.GetValue(reader), parse.GetValue(department), parse.GetValue(system));
    if (readerName is not null || departmentName is not null || systemName is not null)
    {
        const string naming = "lower-case letters and digits joined by '-', at most 64 characters";
        BrokerAccount account;
        if (readerName is not null)
        {
            if (departmentName is not null || systemName is not null) { Console.Error.WriteLine("--reader or --department with --system, not both"); return 2; }
            if (!BrokerAccounts.IsReaderName(readerName)) { Console.Error.WriteLine($"--reader: {naming}"); return 2; }
            account = BrokerAccounts.Reader(readerName);
        }
        else
        {
            if (departmentName is null || !PatientJourney.Contracts.Departments.All.Contains(departmentName))
            { Console.Error.WriteLine("--department: one of " + string.Join(", ", PatientJourney.Contracts.Departments.All)); return 2; }
            if (systemName is null || !BrokerAccounts.IsReaderName(systemName)) { Console.Error.WriteLine($"--department needs --system <name>: {naming}"); return 2; }
            account = BrokerAccounts.DepartmentSystem(departmentName, systemName);
        }
        if (parse.GetValue(passwordFile) is not { } file) { Console.Error.WriteLine("--password-file <path> is needed: where its password is, or is to be written"); return 2; }
        var rotating = parse.GetValue(rotate);
        // A rotation writes the new password beside the old one and replaces the file only once the broker has it.
        var written = new FileInfo(rotating ? file.FullName + ".new" : file.FullName);
        if (rotating && written.Exists) written.Delete();
        await BrokerAccounts.ApplyAsync(http, on, account, AccountPassword(written), ct);
        var what = readerName is not null ? $"own queues {BrokerAccounts.ReaderQueuePrefix}{readerName}[.*]" : $"the {departmentName} department's exchanges";
        if (!rotating)
        {
            AnsiConsole.MarkupLineInterpolated($"[green]{account.Username}[/] on vhost {on}: {what}; password in {file.FullName}");
            return 0;
        }
        File.Move(written.FullName, file.FullName, overwrite: true);
        var closed = await BrokerAccounts.CloseConnectionsAsync(http, account.Username, ct);
        AnsiConsole.MarkupLineInterpolated($"[green]{account.Username}[/] on vhost {on}: {what}; new password in {file.FullName}, {closed} open connection(s) closed");
        return 0;
    }
    var missing = BrokerAccounts.Services.Where(s => BrokerAccounts.PasswordOf(configuration, s) is null).ToList();
    if (missing.Count > 0 && !parse.GetValue(developmentPasswords))
    {
        Console.Error.WriteLine("No password for " + string.Join(", ", missing.Select(s => $"RabbitMq__Accounts__{s}__Password")) +
            ": infra/up.sh writes them to its secrets file; on a development machine, --development-passwords gives <user>-dev");
        return 2;
    }
    await BrokerAccounts.ApplyAsync(http, on, BrokerAccounts.PasswordsFrom(configuration), ct);
    foreach (var service in BrokerAccounts.Services)
        AnsiConsole.MarkupLineInterpolated($"[green]{BrokerAccounts.UserOf(service)}[/] on vhost {on}{(missing.Contains(service) ? " (development password)" : "")}");
    return 0;
});

var messageIds = new Argument<string[]>("message-id") { Description = "Message ids to re-drive; none: every dead letter", Arity = ArgumentArity.ZeroOrMore };
var deadLettersList = new Command("list", "List the messages the journey gave up on, with the reason") { brokerVhost };
deadLettersList.SetAction(async (parse, ct) =>
{
    await using var letters = new DeadLetters(RedriveConnection(parse.GetValue(brokerVhost)!));
    var list = await letters.ListAsync(ct);
    var table = new Table().AddColumns("message id", "type", "sender", "failed at", "reason");
    foreach (var l in list) table.AddRow(Markup.Escape(l.MessageId), Markup.Escape(l.MessageType ?? ""), Markup.Escape(l.Sender ?? ""), $"{l.FailedAt:u}", Markup.Escape(l.Reason ?? ""));
    AnsiConsole.Write(table);
    AnsiConsole.MarkupLineInterpolated($"{list.Count} dead letter(s) in {DeadLetters.ErrorQueue}");
    return 0;
});
var deadLettersRedrive = new Command("redrive", "Send dead letters back to the journey's queue after a fix (one, several, or all)") { brokerVhost, messageIds };
deadLettersRedrive.SetAction(async (parse, ct) =>
{
    await using var letters = new DeadLetters(RedriveConnection(parse.GetValue(brokerVhost)!));
    var count = await letters.RedriveAsync(parse.GetValue(messageIds), ct);
    AnsiConsole.MarkupLineInterpolated($"re-drove {count} message(s) to {JourneyService.QueueName}");
    return 0;
});
var deadLetters = new Command("dead-letters", "The journey's error queue") { deadLettersList, deadLettersRedrive };

return await new RootCommand("PatientJourney journey administration") { verify, rebuild, replay, token, brokerSetup, deadLetters }.Parse(args).InvokeAsync();

static RabbitMqSettings Broker() => InfrastructureSettings.From(new ConfigurationBuilder().AddEnvironmentVariables().Build()).RabbitMq;

static RabbitMqSettings RedriveConnection(string vhost) =>
    BrokerAccounts.ActingAs(Broker() with { VirtualHost = vhost }, new ConfigurationBuilder().AddEnvironmentVariables().Build(), BrokerAccounts.Redrive);

// An outside account's password stays with the operator: read from the file handed over, or generated into a new one only
// its owner can read. It is never printed.
static string AccountPassword(FileInfo file)
{
    if (file.Exists) return File.ReadAllText(file.FullName).Trim();
    var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
    var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
    if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    using (var writer = new StreamWriter(new FileStream(file.FullName, options))) writer.WriteLine(password);
    return password;
}

static DocumentStore Open(string connectionString) => JourneyServiceExtensions.OpenJourneyStore(connectionString);

/// <summary>Reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool and may report after the end).</summary>
internal sealed class ImmediateProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
