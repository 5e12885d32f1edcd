using Marten;
using Microsoft.Extensions.DependencyInjection;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.Journey.PatientJourneys;
using PatientJourney.Journey.Projections;
using PatientJourney.Journey.Worklist;

namespace PatientJourney.IntegrationTests.Reliability;

/// <summary>Merged records (issue 31) rebuilt from the journey's streams: the read models the live journey wrote, byte for byte.</summary>
public class MergeRebuildTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    [Fact]
    public async Task A_rebuild_gives_the_survivors_read_models_the_live_journey_wrote_whatever_the_batch_each_record_falls_in()
    {
        static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);
        // A merge that arrives before the survivor's facts, one after them with a late fact under the old number, and a chain.
        await DepartmentBus.PublishAsync(system.Isolation, Departments.Diagnosis,
        [
            new PatientsMerged { PatientId = "RB-A1", OccurredOn = D("2020-01-01"), Into = "RB-S1", Reason = "duplicate" },
            new ClinicVisitRecorded { PatientId = "RB-A1", OccurredOn = D("2019-06-01") },
            new PatientRegistered { PatientId = "RB-A2", OccurredOn = D("2018-01-01"), Sex = Sex.Male, BirthDate = D("1950-01-01") },
            new SurveillancePlanStarted { PatientId = "RB-A2", OccurredOn = D("2018-02-01"), Protocol = "ct-q3m-visits-q1m" },
            new PatientsMerged { PatientId = "RB-X", OccurredOn = D("2020-01-01"), Into = "RB-Y", Reason = "duplicate" },
            new PatientRegistered { PatientId = "RB-X", OccurredOn = D("2018-01-05"), Sex = Sex.Male, BirthDate = D("1950-01-01") },
        ]);
        await DepartmentBus.PublishAsync(system.Isolation, Departments.Diagnosis,
        [
            new PatientRegistered { PatientId = "RB-S1", OccurredOn = D("2018-01-02"), Sex = Sex.Female, BirthDate = D("1960-01-01"), DisplayName = "S1" },
            new SurveillancePlanStarted { PatientId = "RB-S1", OccurredOn = D("2019-01-01"), Protocol = "ct-q3m-visits-q1m" },
            new PatientRegistered { PatientId = "RB-S2", OccurredOn = D("2018-01-03"), Sex = Sex.Male, BirthDate = D("1950-01-01") },
            new PatientsMerged { PatientId = "RB-A2", OccurredOn = D("2020-01-02"), Into = "RB-S2", Reason = "duplicate" },
            new PatientsMerged { PatientId = "RB-Y", OccurredOn = D("2020-01-03"), Into = "RB-Z", Reason = "duplicate" },
            new PatientRegistered { PatientId = "RB-Z", OccurredOn = D("2018-01-04"), Sex = Sex.Male, BirthDate = D("1950-01-01") },
        ]);
        await DepartmentBus.PublishAsync(system.Isolation, Departments.Diagnosis,
            new ClinicVisitRecorded { PatientId = "RB-A2", OccurredOn = D("2018-03-01") });
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync("RB-S1") == 4 && await system.JourneyEntryCountAsync("RB-S2") == 5
            && await system.JourneyEntryCountAsync("RB-Z") == 4, "every fact at its survivor");

        var live = await ReadModelSnapshot.TakeAsync(system.Isolation.ConnectionString);
        Assert.Contains("RB-S1/", live); // the survivor's worklist rows
        Assert.DoesNotContain("RB-A2/", live); // none for a merged-away record
        var store = system.Journey.Services.GetRequiredService<IDocumentStore>();
        foreach (var batchSize in new[] { 200, 1 })
        {
            await store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(PatientJourneyView));
            await store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(WorklistEntry));
            await JourneyRebuild.RebuildAllAsync(store, batchSize);
            Assert.Equal(live, await ReadModelSnapshot.TakeAsync(system.Isolation.ConnectionString));
        }
    }
}
