using Marten;
using Microsoft.Extensions.DependencyInjection;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.Journey.PatientJourneys;
using PatientJourney.Journey.Projections;
using PatientJourney.Journey.Worklist;

namespace PatientJourney.IntegrationTests.Reliability;

public class RebuildTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private Task<string> SnapshotAsync() => ReadModelSnapshot.TakeAsync(system.Isolation.ConnectionString);

    [Fact]
    public async Task A_full_rebuild_from_the_journey_event_store_yields_byte_identical_read_models_and_resumes_after_a_kill()
    {
        // The seed case shuffled across departments, and patients whose facts arrive late and out of order.
        await system.LoadSeedCaseAsync(s => s.InterleavedAcrossDepartments(new Random(7)));
        for (var p = 0; p < 5; p++)
        {
            await system.PostAsync("diagnosis", $"/patients/LATE-{p}/visits", new { occurredOn = "2020-06-01" });
            await system.PostAsync("imaging", $"/patients/LATE-{p}/ct", new { performedOn = "2020-03-01", region = "chest", targetLesions = Array.Empty<object>() });
            await system.PostAsync("diagnosis", $"/patients/LATE-{p}/surveillance-plans", new { startsOn = "2020-01-15", protocol = "esmo-sts-high-grade" });
            await system.PostAsync("diagnosis", "/patients", new { patientId = $"LATE-{p}", sex = "unknown", birthDate = "1950-01-01", occurredOn = "2019-12-01" });
        }
        await Eventually.HoldsAsync(async () =>
        {
            for (var p = 0; p < 5; p++) if (await system.JourneyEntryCountAsync($"LATE-{p}") != 4) return false;
            return true;
        }, "all events in the journey");

        var live = await SnapshotAsync();
        Assert.Contains("LATE-4/", live); // worklist rows exist

        var store = system.Journey.Services.GetRequiredService<IDocumentStore>();
        await store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(PatientJourneyView));
        await store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(WorklistEntry));
        Assert.Equal(6, await JourneyRebuild.RebuildAllAsync(store));
        Assert.Equal(live, await SnapshotAsync());

        // Killed after two patients, then run again: it resumes from its checkpoint and the result is the same.
        await store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(PatientJourneyView));
        await store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(WorklistEntry));
        using var kill = new CancellationTokenSource();
        var reports = new List<RebuildProgress>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => JourneyRebuild.RebuildAllAsync(store, batchSize: 1,
            new ImmediateProgress(p => { reports.Add(p); if (p.Done == 2) kill.Cancel(); }), kill.Token));
        reports.Clear();
        Assert.Equal(6, await JourneyRebuild.RebuildAllAsync(store, batchSize: 1, new ImmediateProgress(reports.Add)));
        Assert.Equal(new RebuildProgress(2, 6), reports[0]);
        Assert.Equal(live, await SnapshotAsync());
    }

    private sealed class ImmediateProgress(Action<RebuildProgress> report) : IProgress<RebuildProgress>
    {
        public void Report(RebuildProgress value) => report(value);
    }
}
