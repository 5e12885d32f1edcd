using Marten;
using PatientJourney.StoreAndBus.EventStore;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;

namespace PatientJourney.IntegrationTests.Pipeline;

public class ClinicalAppendsTests
{
    private const string Schema = Departments.Diagnosis;

    private static ClinicVisitRecorded Visit(string patientId, int day, int? ecog = null) => new()
    {
        EventId = Guid.CreateVersion7(), PatientId = patientId, OccurredOn = new DateOnly(2012, 1, day), Ecog = ecog,
        RecordedAt = new DateTimeOffset(2012, 1, day, 9, 0, 0, TimeSpan.Zero), RecordedBy = "clinic.desk",
    };

    private static DocumentStore Store(Isolation isolation) =>
        DocumentStore.For(opts => opts.ConfigureClinicalEventStore(isolation.ConnectionString, Schema));

    [Fact]
    public async Task A_batch_appended_for_new_and_existing_patients_reads_back_through_Marten_as_its_own_events()
    {
        await using var isolation = await Isolation.CreateAsync();
        using var store = Store(isolation);
        var earlier = Visit("APPEND-1", 1);
        await using (var session = store.LightweightSession())
        {
            session.AppendClinicalWithMarten("APPEND-1", earlier);
            await session.SaveChangesAsync();
        }

        var existing = new[] { Visit("APPEND-1", 2, ecog: 1), Visit("APPEND-1", 3) };
        var fresh = new[] { Visit("APPEND-2", 4, ecog: 0) };
        // As a department's writer appends: its own transaction, the statements and the commit in one batch.
        long lastSequence = 0;
        await using (var connection = store.Storage.Database.CreateConnection())
        {
            await connection.OpenAsync();
            await using var batch = new Npgsql.NpgsqlBatch(connection) { BatchCommands = { new("begin"), StreamLock.Statement(Schema, ["APPEND-1", "APPEND-2"]) } };
            foreach (var statement in ClinicalAppends.Statements(store, Schema, JasperFx.StorageConstants.DefaultTenantId,
                         [new StreamAppend("APPEND-1", 1, existing), new StreamAppend("APPEND-2", 0, fresh)], storedAt: null, traceOf: null, returning: true))
                batch.BatchCommands.Add(statement);
            batch.BatchCommands.Add(new("commit"));
            await using var reader = await batch.ExecuteReaderAsync();
            do
            {
                while (await reader.ReadAsync()) if (reader.GetName(0) == "seq_id") lastSequence = Math.Max(lastSequence, reader.GetInt64(0));
            } while (await reader.NextResultAsync());
        }

        await using var query = store.QuerySession();
        var first = await query.Events.FetchStreamAsync("APPEND-1");
        Assert.Equal([earlier.EventId, .. existing.Select(e => e.EventId)], first.Select(e => e.Id));
        Assert.Equal([1L, 2, 3], first.Select(e => e.Version));
        Assert.Equal([earlier, .. existing], first.Select(e => (ClinicVisitRecorded)e.Data));
        var marten = first[0];
        Assert.All(first, e => Assert.Equal((marten.EventTypeName, marten.DotNetTypeName, marten.TenantId), (e.EventTypeName, e.DotNetTypeName, e.TenantId)));
        Assert.True(first[1].Sequence > marten.Sequence && first[2].Sequence > first[1].Sequence, "sequence numbers follow the stream's versions");

        var second = await query.Events.FetchStreamAsync("APPEND-2");
        Assert.Equal(fresh, second.Select(e => (ClinicVisitRecorded)e.Data));
        Assert.Equal(1, second.Single().Version);
        Assert.Equal(lastSequence, Math.Max(first[^1].Sequence, second[0].Sequence));
        Assert.Equal(3, (await query.Events.FetchStreamStateAsync("APPEND-1"))!.Version);
        Assert.Equal(1, (await query.Events.FetchStreamStateAsync("APPEND-2"))!.Version);

        // Marten's own append goes on from where the batch left the stream.
        await using (var session = store.LightweightSession())
        {
            session.AppendClinicalWithMarten("APPEND-2", Visit("APPEND-2", 5));
            await session.SaveChangesAsync();
        }
        Assert.Equal(2, (await query.Events.FetchStreamStateAsync("APPEND-2"))!.Version);
    }

    [Fact]
    public async Task An_append_after_a_stale_version_fails_as_a_concurrent_write_and_records_nothing_of_the_batch()
    {
        await using var isolation = await Isolation.CreateAsync();
        using var store = Store(isolation);
        await using (var session = store.LightweightSession())
        {
            session.AppendClinicalWithMarten("STALE-1", Visit("STALE-1", 1));
            await session.SaveChangesAsync();
        }

        await using (var session = store.LightweightSession())
        {
            await session.LockStreamsAsync(Schema, ["STALE-1", "STALE-2"], default);
            // Another writer appended version 1 since this one read the stream at version 0: the stale version collides with
            // the stream's (stream, version) key at the commit, the failure a writer decides its batch again on.
            session.QueueClinicalAppends(Schema, [new StreamAppend("STALE-2", 0, [Visit("STALE-2", 2)]), new StreamAppend("STALE-1", 0, [Visit("STALE-1", 3)])]);
            // Marten tells the (stream, version) key's violation by its name.
            await Assert.ThrowsAsync<JasperFx.Events.EventStreamUnexpectedMaxEventIdException>(() => session.SaveChangesAsync());
        }

        await using var query = store.QuerySession();
        Assert.Single(await query.Events.FetchStreamAsync("STALE-1"));
        Assert.Empty(await query.Events.FetchStreamAsync("STALE-2"));
        Assert.Null(await query.Events.FetchStreamStateAsync("STALE-2"));
    }
}

internal static class MartenAppends
{
    /// <summary>An append through Marten's own event API, under the event's own id, for comparison.</summary>
    public static void AppendClinicalWithMarten(this IDocumentSession session, string streamKey, ClinicalEvent e)
    {
        var built = session.Events.BuildEvent(e);
        built.Id = e.EventId;
        session.Events.Append(streamKey, built);
    }
}
