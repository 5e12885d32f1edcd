using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Hosting.Security;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.Journey;
using PatientJourney.Journey.Recording;

namespace PatientJourney.IntegrationTests.ScaleOut;

/// <summary>The journey on a primary and a streaming standby: which routes read which (docs/api-contract.md, "Consistency").</summary>
public class ReadReplicaTests
{
    [Fact]
    public async Task Read_routes_answer_from_the_standby_and_audit_routes_from_the_primary()
    {
        await using var primary = await ThrowawayCluster.StartAsync();
        var standby = await primary.StartStandbyAsync();
        await using var isolation = await Isolation.CreateAsync(postgres: primary.ConnectionString);
        var services = new NpgsqlConnectionStringBuilder(isolation.ConnectionString)
        {
            Host = $"127.0.0.1:{primary.Port.ToString(CultureInfo.InvariantCulture)},127.0.0.1:{standby.Port.ToString(CultureInfo.InvariantCulture)}",
        }.ConnectionString;
        await using var journey = new ServiceHost<JourneyService>(isolation, settings: new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = services });
        using var clinician = journey.CreateClient(TestTokens.For(Roles.Clinician));
        using var auditor = journey.CreateClient(TestTokens.For(Roles.Auditor));
        await Eventually.HoldsAsync(async () => (await clinician.GetAsync("/health/ready")).IsSuccessStatusCode, "journey ready");
        var recorder = journey.Services.GetRequiredService<JourneyRecorder>();
        Task Visit(string day) => recorder.RecordAsync(new ClinicVisitRecorded
        {
            EventId = Guid.CreateVersion7(), PatientId = "REPLICA-1", OccurredOn = DateOnly.Parse(day, CultureInfo.InvariantCulture), RecordedAt = DateTimeOffset.UtcNow,
        }, CancellationToken.None);
        async Task<int> JourneyEntries() => (await clinician.GetFromJsonAsync<JsonObject>("/patients/REPLICA-1/journey"))!["entries"]!.AsArray().Count;
        async Task<int> AuditedEvents() => (await auditor.GetFromJsonAsync<JsonArray>("/patients/REPLICA-1/events"))!.Count;

        await Visit("2020-01-01");
        await Eventually.HoldsAsync(async () => (await clinician.GetAsync("/patients/REPLICA-1/journey")).IsSuccessStatusCode && await JourneyEntries() == 1, "the first visit on the standby");

        // The standby stops replaying: the read routes stay where it stopped, the audit routes see the primary.
        await StandbyAsync(standby, "select pg_wal_replay_pause()");
        try
        {
            await Visit("2020-02-01");
            Assert.Equal(2, await AuditedEvents());
            Assert.Equal(1, await JourneyEntries());
        }
        finally
        {
            await StandbyAsync(standby, "select pg_wal_replay_resume()");
        }
        await Eventually.HoldsAsync(async () => await JourneyEntries() == 2, "the second visit on the standby once it replays again");
    }

    private static Task StandbyAsync(ThrowawayStandby standby, string sql) =>
        ProgramRun.RunOrThrowAsync("runuser", ["-u", "postgres", "--", "psql", "-h", "/var/run/postgresql", "-p", standby.Port.ToString(CultureInfo.InvariantCulture),
            "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql]);
}
