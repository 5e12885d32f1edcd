using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PatientJourney.DepartmentKit.Outbox;
using PatientJourney.Diagnosis;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.Journey;
using PatientJourney.Journey.PatientJourneys;
using PatientJourney.Journey.Projections;
using PatientJourney.Journey.Worklist;
using PatientJourney.StoreAndBus.EventStore;
using PatientJourney.StoreAndBus.Messaging;
using Xunit.Abstractions;

namespace PatientJourney.IntegrationTests.Reliability;

/// <summary>
/// The backup drill of docs/operations.md on a PostgreSQL cluster of the test's own (the shared one is never stopped,
/// backed up or restored here): the diagnosis department and the journey under load, infra/backup.sh while facts are
/// posted, a point in time, more facts, the cluster lost, infra/restore.sh to that point into a new cluster, and the
/// services started on it as the procedure says.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // PostgreSQL's tools as Debian installs them, runuser
public class BackupRestoreTests(ITestOutputHelper output)
{
    private sealed record Accepted(Guid EventId, DateTimeOffset Sent, DateTimeOffset Answered);

    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>Where the drill is, with the time since it began: a slow run says which step was slow.</summary>
    private void Step(string what) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1} s: {what}");

    [Fact]
    public async Task A_restore_to_a_point_in_time_keeps_every_fact_accepted_before_it_once_with_intact_chains_and_read_models_equal_to_a_rebuild()
    {
        await using var cluster = await ThrowawayCluster.StartAsync();
        var isolation = await Isolation.CreateAsync("pj_backup", postgres: cluster.ConnectionString);
        var current = isolation;
        try
        {
            var accepted = new ConcurrentQueue<Accepted>();
            var printed = new List<string>();
            DateTimeOffset restorePoint;
            string backup;
            await using (var journey = new ServiceHost<JourneyService>(isolation))
            await using (var diagnosis = new ServiceHost<DiagnosisService>(isolation))
            {
                await StartAsync(journey);
                Step("journey started on the throwaway cluster");
                var client = diagnosis.CreateClient();
                using var stopLoad = new CancellationTokenSource();
                var load = Enumerable.Range(0, 4).Select(worker => PostFactsAsync(client, worker, accepted, stopLoad.Token)).ToList();

                await WaitForAsync(accepted, 200, "facts accepted before the backup");
                var beforeBackup = accepted.Count;
                (backup, var backupOutput) = await cluster.BackupAsync();
                Assert.True(accepted.Count > beforeBackup, "no fact was accepted while the backup ran");
                Step("backed up");
                output.WriteLine(backupOutput);
                printed.Add(backupOutput);
                await WaitForAsync(accepted, accepted.Count + 200, "facts accepted after the backup");
                // The journey stops consuming: what the outbox forwards from now on waits in the broker, already counted as
                // forwarded in the department's progress, the case only the replay after a restore can mend.
                await journey.DisposeAsync();
                Step("journey stopped");
                await WaitForAsync(accepted, accepted.Count + 100, "facts forwarded while the journey is stopped");
                restorePoint = DateTimeOffset.UtcNow;
                Step("the restore point");
                await Eventually.HoldsAsync(() => Task.FromResult(accepted.Count(a => a.Sent > restorePoint) >= 100), "facts accepted after the restore point");
                await stopLoad.CancelAsync();
                await Task.WhenAll(load);
                // The WAL up to now archived, as archive_timeout would within its bound; then the machine is lost.
                await cluster.ArchiveCurrentWalAsync();
                Step("WAL archived");
            }
            await cluster.StopAsync("immediate");
            var (restored, restoreOutput) = await cluster.RestoreAsync(backup, restorePoint);
            output.WriteLine(restoreOutput);
            printed.Add(restoreOutput);
            Step("restored");
            AssertBackupHoldsNoSecretInTheOpen(backup, isolation.Name, printed);
            current = await Isolation.RestoredAsync(isolation, restored.ConnectionString);
            var restoredFacts = (await ClinicalEventStores.IdsAsync(current.ConnectionString, Contracts.Departments.Diagnosis, default)).ToHashSet();
            var forwardedNotRecorded = (await ForwardedAsync(current)).Except(await ClinicalEventStores.IdsAsync(current.ConnectionString, ClinicalEventStores.JourneySchema, default)).Count();
            output.WriteLine($"restored: {restoredFacts.Count} facts in the department, {forwardedNotRecorded} of them forwarded but not in the journey");
            Assert.True(forwardedNotRecorded > 0, "the restore point caught no fact between the outbox and the journey");
            await using (var journey = new ServiceHost<JourneyService>(current))
            await using (var diagnosis = new ServiceHost<DiagnosisService>(current))
            {
                await StartAsync(journey);
                var client = diagnosis.CreateClient();
                // What the broker held at the loss is gone; facts the outbox had forwarded and the journey not yet recorded
                // are published again from the department's store (journey-admin replay), the rest resumes by itself.
                await SourceReplay.ReplayAsync(current.ConnectionString, [Contracts.Departments.Diagnosis],
                    d => BrokerAccounts.ActingAs(current.RabbitMq, Isolation.Secrets, d));
                Step("services started on the restored cluster, departments replayed");
                using (var afterRestore = await client.PostAsJsonAsync("/patients/BACKUP-NEW/visits", new { occurredOn = "2021-01-01", ecog = 0 }))
                    Assert.Equal(HttpStatusCode.Accepted, afterRestore.StatusCode);

                await Eventually.HoldsAsync(async () =>
                    (await ClinicalEventStores.IdsAsync(current.ConnectionString, ClinicalEventStores.JourneySchema, default)).Count >= restoredFacts.Count + 1,
                    "every restored fact and the new one in the journey");
                Step("every fact in the journey");

                var beforePoint = accepted.Where(a => a.Answered < restorePoint).ToList();
                var afterPoint = accepted.Where(a => a.Sent > restorePoint).ToList();
                output.WriteLine($"accepted {accepted.Count}: {beforePoint.Count} answered before the restore point, {afterPoint.Count} sent after it; restored {restoredFacts.Count}");
                Assert.All(beforePoint, a => Assert.Contains(a.EventId, restoredFacts));
                Assert.All(afterPoint, a => Assert.DoesNotContain(a.EventId, restoredFacts));

                // Exactly once: the journey holds each restored fact (and the new one) once, and nothing else.
                var journeyIds = await ClinicalEventStores.IdsAsync(current.ConnectionString, ClinicalEventStores.JourneySchema, default);
                Assert.Equal(journeyIds.Count, journeyIds.Distinct().Count());
                var newFacts = (await ClinicalEventStores.IdsAsync(current.ConnectionString, Contracts.Departments.Diagnosis, default)).Except(restoredFacts).ToList();
                Assert.Single(newFacts);
                Assert.Equal(restoredFacts.Append(newFacts[0]).Order(), journeyIds.Order());

                await AssertEveryChainIntactAsync(current, journey.CreateClient());
                await AssertReadModelsEqualARebuildAsync(current, journey);
            }
        }
        finally
        {
            await current.DisposeAsync();
        }
    }

    private static async Task StartAsync(ServiceHost<JourneyService> journey)
    {
        var client = journey.CreateClient();
        await Eventually.HoldsAsync(async () => (await client.GetAsync("/health/ready")).IsSuccessStatusCode, "journey ready");
        await Eventually.HoldsAsync(() => Task.FromResult(journey.BusIsReady()), "journey bus ready");
    }

    /// <summary>One caller's facts until stopped: a patient registered, then visits, a new patient every 25 facts.</summary>
    private static async Task PostFactsAsync(HttpClient client, int worker, ConcurrentQueue<Accepted> accepted, CancellationToken stop)
    {
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var patientId = $"BACKUP-{worker}-{n / 25}";
            var (path, body) = n % 25 == 0
                ? ("/patients", (object)new { patientId, sex = "female", birthDate = "1960-01-01" })
                : ($"/patients/{patientId}/visits", new { occurredOn = new DateOnly(2020, 1, 1).AddDays(n % 25), ecog = 1 });
            var sent = DateTimeOffset.UtcNow;
            using var response = await client.PostAsJsonAsync(path, body, CancellationToken.None);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var answer = (await response.Content.ReadFromJsonAsync<JsonObject>(CancellationToken.None))!;
            accepted.Enqueue(new Accepted((Guid)answer["eventId"]!, sent, DateTimeOffset.UtcNow));
        }
    }

    /// <summary>The department's facts its outbox had forwarded (confirmed by the broker) as its restored progress says.</summary>
    private static async Task<List<Guid>> ForwardedAsync(Isolation isolation)
    {
        await using var connection = new NpgsqlConnection(isolation.ConnectionString);
        await connection.OpenAsync();
        var department = Contracts.Departments.Diagnosis;
        await using var command = new NpgsqlCommand(Tombstones.ClinicalEventsSql(department, "id")
            + $" and seq_id <= (select last_seq_id from {department}.mt_event_progression where name = 'OutboxForwarder:All')", connection);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        return ids;
    }

    private static Task WaitForAsync(ConcurrentQueue<Accepted> accepted, int count, string what) =>
        Eventually.HoldsAsync(() => Task.FromResult(accepted.Count >= count), what);

    /// <summary>Everything in the backup is for root and postgres only; what the scripts printed names no password.</summary>
    private void AssertBackupHoldsNoSecretInTheOpen(string backup, string vhost, List<string> printed)
    {
        var secrets = new[] { Isolation.Administrator.Password, new NpgsqlConnectionStringBuilder(SharedServers.Settings.PostgresConnectionString).Password! };
        Assert.All(printed, text => Assert.All(secrets, secret => Assert.DoesNotContain(secret, text)));
        foreach (var file in Directory.EnumerateFiles(backup, "*", SearchOption.AllDirectories))
            Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(file) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.OtherWrite));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(backup));
        var definitions = File.ReadAllText(Path.Combine(backup, "broker-definitions.json"));
        Assert.Contains($"\"{vhost}\"", definitions);
        Assert.Contains("journey-events", definitions);
        output.WriteLine(File.ReadAllText(Path.Combine(backup, "backup.txt")));
    }

    private static async Task AssertEveryChainIntactAsync(Isolation isolation, HttpClient journey)
    {
        var patients = new List<string>();
        await using (var connection = new NpgsqlConnection(isolation.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(Tombstones.ClinicalEventsSql(ClinicalEventStores.JourneySchema, "distinct stream_id"), connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) patients.Add(reader.GetString(0));
        }
        Assert.NotEmpty(patients);
        foreach (var patient in patients)
        {
            var verification = (await journey.GetFromJsonAsync<JsonObject>($"/patients/{patient}/verify"))!;
            Assert.True((bool)verification["intact"]!, $"{patient}: {verification.ToJsonString()}");
        }
    }

    private static async Task AssertReadModelsEqualARebuildAsync(Isolation isolation, ServiceHost<JourneyService> journey)
    {
        var live = await ReadModelSnapshot.TakeAsync(isolation.ConnectionString);
        var store = journey.Services.GetRequiredService<IDocumentStore>();
        await store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(PatientJourneyView));
        await store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(WorklistEntry));
        await JourneyRebuild.RebuildAllAsync(store);
        Assert.Equal(live, await ReadModelSnapshot.TakeAsync(isolation.ConnectionString));
    }
}
