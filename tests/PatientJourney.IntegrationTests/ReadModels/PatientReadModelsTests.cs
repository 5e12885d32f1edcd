using Marten;
using PatientJourney.Journey;
using PatientJourney.Journey.PatientJourneys;
using PatientJourney.Journey.Projections;
using PatientJourney.Journey.Surveillance;
using PatientJourney.Journey.Worklist;

namespace PatientJourney.IntegrationTests.ReadModels;

public class PatientReadModelsTests
{
    private static PatientJourneyView View(string patientId, int openItems) => new()
    {
        Id = patientId,
        CumulativeDoxorubicinMgPerM2 = new CumulativeDoxorubicin(0m, 0m, 0m),
        Flags = [],
        Schedule = new Schedule("test", new DateOnly(2026, 1, 1),
            Enumerable.Range(0, openItems).Select(n => new ScheduledItem("ct", new DateOnly(2026, 1, 1).AddMonths(3 * n), null, null, false)).ToList()),
        LatestOccurredOn = new DateOnly(2026, 1, 1),
    };

    [Fact]
    public async Task A_patients_worklist_rows_past_its_new_end_are_deleted_by_id_when_the_writer_knows_how_many_it_had_and_by_patient_when_not()
    {
        await using var isolation = await Isolation.CreateAsync();
        using var store = JourneyServiceExtensions.OpenJourneyStore(isolation.ConnectionString);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        Dictionary<string, int> rows;
        await using (var session = store.LightweightSession())
        {
            rows = PatientReadModels.WriteAll(session, [View("KNOWN-1", 5), View("UNKNOWN-1", 5), View("OTHER-1", 3)]);
            await session.SaveChangesAsync();
        }
        Assert.Equal(new Dictionary<string, int> { ["KNOWN-1"] = 5, ["UNKNOWN-1"] = 5, ["OTHER-1"] = 3 }, rows);

        // One patient's count known to the writer (its rows past the end deleted by id), the other's not (found by patient).
        // The known count is one short of the rows stored, so that only a delete by id leaves KNOWN-1/4 in place.
        await using (var session = store.LightweightSession())
        {
            rows = PatientReadModels.WriteAll(session, [View("KNOWN-1", 2), View("UNKNOWN-1", 1)], new Dictionary<string, int> { ["KNOWN-1"] = 4 });
            await session.SaveChangesAsync();
        }
        Assert.Equal(new Dictionary<string, int> { ["KNOWN-1"] = 2, ["UNKNOWN-1"] = 1 }, rows);

        await using var query = store.QuerySession();
        var stored = await query.Query<WorklistEntry>().OrderBy(e => e.Id).Select(e => e.Id).ToListAsync();
        Assert.Equal(["KNOWN-1/0", "KNOWN-1/1", "KNOWN-1/4", "OTHER-1/0", "OTHER-1/1", "OTHER-1/2", "UNKNOWN-1/0"], stored);
    }
}
