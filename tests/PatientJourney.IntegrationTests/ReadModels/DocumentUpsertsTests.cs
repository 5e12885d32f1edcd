using Marten;
using PatientJourney.DepartmentKit.Outbox;
using PatientJourney.Journey.Storage;
using PatientJourney.Journey;
using PatientJourney.Journey.Worklist;

namespace PatientJourney.IntegrationTests.ReadModels;

public class DocumentUpsertsTests
{
    private static WorklistEntry Entry(string id, string patientId, int day, bool suspended) => new()
    {
        Id = id, PatientId = patientId, DisplayName = null, Kind = "ct", DueOn = DateOnly.FromDayNumber(day),
        DueOnDay = day, DueFromDay = day - 7, DueUntilDay = day + 7, Suspended = suspended, ValidFromDay = day - 90,
    };

    [Fact]
    public async Task Documents_upserted_in_one_statement_load_as_Marten_stored_them_with_their_duplicated_fields_and_overwrite_in_place()
    {
        await using var isolation = await Isolation.CreateAsync();
        using var store = JourneyServiceExtensions.OpenJourneyStore(isolation.ConnectionString);
        var marten = Entry("UPSERT-1/0", "UPSERT-1", 740_000, false);
        await using (var session = store.LightweightSession())
        {
            session.Store(marten);
            await session.SaveChangesAsync();
        }

        var written = new[] { Entry("UPSERT-1/0", "UPSERT-1", 740_100, true), Entry("UPSERT-2/0", "UPSERT-2", 740_200, false) };
        await using (var session = store.LightweightSession())
        {
            session.Upsert(written, e => e.Id);
            await session.SaveChangesAsync();
        }

        await using var query = store.QuerySession();
        Assert.Equal(written, await query.LoadManyAsync<WorklistEntry>(written.Select(e => e.Id)).ContinueWith(t => t.Result.OrderBy(e => e.Id).ToList()));
        // The duplicated columns the worklist's queries use hold the new values.
        Assert.Equal(["UPSERT-1/0"], await query.Query<WorklistEntry>().Where(e => e.Suspended && e.DueOnDay == 740_100).Select(e => e.Id).ToListAsync());
        Assert.Equal(["UPSERT-2/0"], await query.Query<WorklistEntry>().Where(e => e.PatientId == "UPSERT-2" && e.DueFromDay == 740_193).Select(e => e.Id).ToListAsync());
        var metadata = await query.MetadataForAsync(written[1]);
        Assert.Equal(typeof(WorklistEntry).FullName, metadata!.DotNetType);
    }
}
