using Marten;
using Microsoft.Extensions.DependencyInjection;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
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
        // The navigator's facts (issue 30), published as the diagnosis department publishes them.
        DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);
        await DepartmentBus.PublishAsync(system.Isolation, Departments.Diagnosis,
        [
            .. Enumerable.Range(0, 5).Select(p => new NavigatorAssigned { PatientId = $"LATE-{p}", OccurredOn = D("2020-01-15"), Navigator = $"nurse-{p % 2}" }),
            new AppointmentBooked { PatientId = "LATE-0", OccurredOn = D("2020-04-01"), Kind = "ct", ScheduledOn = D("2020-07-01") },
            new SurveillanceIntervalOverridden { PatientId = "LATE-0", OccurredOn = D("2020-03-15"), Kind = "clinic-visit", IntervalMonths = 6, Reason = "lives far away" },
            new SurveillanceItemDeferred { PatientId = "LATE-1", OccurredOn = D("2020-04-01"), Kind = "ct", Until = D("2020-08-01"), Reason = "asked" },
            new OutsideResultRecorded { PatientId = "LATE-2", OccurredOn = D("2020-05-01"), Kind = "clinic-visit", Facility = "elsewhere" },
            new SurveillancePlanEnded { PatientId = "LATE-3", OccurredOn = D("2020-06-15"), Reason = SurveillancePlanEndReason.Transferred },
            new PatientDied { PatientId = "LATE-4", OccurredOn = D("2020-05-15") },
        ]);
        int[] expected = [7, 6, 6, 6, 6];
        await Eventually.HoldsAsync(async () =>
        {
            for (var p = 0; p < 5; p++) if (await system.JourneyEntryCountAsync($"LATE-{p}") != expected[p]) return false;
            return true;
        }, "all events in the journey");

        var live = await SnapshotAsync();
        Assert.Contains("LATE-0/", live); // worklist rows exist
        Assert.DoesNotContain("LATE-3/", live); // the plan ended: no open items
        Assert.DoesNotContain("LATE-4/", live); // died

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
