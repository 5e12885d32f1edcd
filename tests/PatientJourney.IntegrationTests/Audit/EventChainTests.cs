using System.Text.Json;
using Marten;
using Npgsql;
using PatientJourney.Hosting;
using PatientJourney.StoreAndBus.EventStore;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Journey;
using PatientJourney.Journey.Audit;
using PatientJourney.Journey.Store;

namespace PatientJourney.IntegrationTests.Audit;

public class EventChainTests
{
    private static ClinicVisitRecorded Visit(string patientId, int month) => new()
    {
        EventId = Guid.CreateVersion7(), PatientId = patientId, OccurredOn = new DateOnly(2012, month, 1), Ecog = 1,
        RecordedAt = new DateTimeOffset(2012, month, 1, 9, 0, 0, TimeSpan.Zero), RecordedBy = "clinic.desk",
    };

    private static async Task ExecuteAsync(Isolation isolation, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(isolation.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The journey's events as the recorder appends them (the contract's eventId is the event's id), with or without their links.</summary>
    private static async Task AppendAsync(DocumentStore store, string patientId, ClinicVisitRecorded[] visits, bool withLinks)
    {
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(JasperFx.Events.IEvent));
        await using var session = store.LightweightSession();
        await session.LockStreamsAsync(JourneyStore.Schema, [patientId], default);
        var storedAt = EventChain.Microseconds(DateTimeOffset.UtcNow);
        session.QueueClinicalAppends(JourneyStore.Schema, [new StreamAppend(patientId, 0, visits)], storedAt);
        if (withLinks) EventChain.Append(session, EventChain.Links(null, 0, visits, storedAt).ToList());
        await session.SaveChangesAsync();
    }

    [Fact]
    public async Task Links_an_older_journey_kept_as_documents_are_carried_over_once_and_still_catch_an_altered_event()
    {
        await using var isolation = await Isolation.CreateAsync();
        using var store = JourneyServiceExtensions.OpenJourneyStore(isolation.ConnectionString);
        var visits = new[] { Visit("CHAIN-1", 1), Visit("CHAIN-1", 2), Visit("CHAIN-1", 3) };
        await AppendAsync(store, "CHAIN-1", visits, withLinks: false);
        // The links as the journey stored them before the chain had its own table: Marten documents (camelCase JSON).
        await ExecuteAsync(isolation, "create table journey.mt_doc_chainlink (id varchar primary key, data jsonb not null, patient_id varchar)");
        var previous = EventChain.Genesis;
        // Hashed as they were then: without the known-at time, which links of that age do not carry.
        foreach (var (visit, version) in visits.Select((v, i) => (v, i + 1L)))
        {
            var hash = EventChain.HashOf(previous, visit);
            var document = JsonSerializer.Serialize(new { id = $"{visit.PatientId}/{version}", visit.PatientId, Version = version, visit.EventId, PreviousHash = previous, Hash = hash }, JsonDefaults.Options);
            await ExecuteAsync(isolation, "insert into journey.mt_doc_chainlink values ($1, $2::jsonb, $3)", $"{visit.PatientId}/{version}", document, visit.PatientId);
            previous = hash;
        }

        await EventChain.EnsureAsync(store, default);
        await EventChain.EnsureAsync(store, default); // idempotent: nothing carried over twice

        await using var query = store.QuerySession();
        Assert.Equal(new ChainVerification("CHAIN-1", true, 3, null, null, null), await EventChain.VerifyAsync(query, "CHAIN-1", default));
        Assert.Empty(await query.QueryAsync<string>("select tablename from pg_tables where schemaname = 'journey' and tablename = 'mt_doc_chainlink'"));

        await ExecuteAsync(isolation, "update journey.mt_events set data = jsonb_set(data, '{ecog}', '4') where stream_id = 'CHAIN-1' and version = 2");
        var altered = await EventChain.VerifyAsync(query, "CHAIN-1", default);
        Assert.Equal((false, 2L, visits[1].EventId), (altered.Intact, altered.FirstAlteredVersion, altered.FirstAlteredEventId));
    }

    [Fact]
    public async Task An_altered_link_is_caught_as_well_as_an_altered_event()
    {
        await using var isolation = await Isolation.CreateAsync();
        using var store = JourneyServiceExtensions.OpenJourneyStore(isolation.ConnectionString);
        await EventChain.EnsureAsync(store, default);
        var visits = new[] { Visit("CHAIN-2", 1), Visit("CHAIN-2", 2) };
        await AppendAsync(store, "CHAIN-2", visits, withLinks: true);
        await using var query = store.QuerySession();
        Assert.True((await EventChain.VerifyAsync(query, "CHAIN-2", default)).Intact);

        await ExecuteAsync(isolation, "update journey.event_chain set hash = sha256(hash) where patient_id = 'CHAIN-2' and version = 1");
        var altered = await EventChain.VerifyAsync(query, "CHAIN-2", default);
        Assert.Equal((false, 1L), (altered.Intact, altered.FirstAlteredVersion));
    }

    [Fact]
    public async Task A_keyed_read_in_a_writers_transaction_takes_the_index_where_the_planner_would_scan_and_leaves_the_setting_as_it_was()
    {
        await using var isolation = await Isolation.CreateAsync();
        await ExecuteAsync(isolation, "create table streams (id varchar primary key, version bigint); insert into streams select 'P' || i, i from generate_series(1, 20) i; analyze streams");
        await using var connection = new NpgsqlConnection(isolation.ConnectionString);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        const string Sql = "explain select id, version from streams where id = any($1)";
        var keys = new NpgsqlParameter { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, Value = new[] { "P3", "P7" } };

        var planned = new List<string>();
        await using (var plain = new NpgsqlCommand(Sql, connection) { Parameters = { keys.Clone() } })
        await using (var reader = await plain.ExecuteReaderAsync())
            while (await reader.ReadAsync()) planned.Add(reader.GetString(0));
        Assert.Contains(planned, line => line.Contains("Seq Scan")); // a table of one page: the planner's own choice

        var byIndex = new List<string>();
        await connection.ReadByIndexAsync(new NpgsqlBatchCommand(Sql) { Parameters = { keys.Clone() } }, row => byIndex.Add(row.GetString(0)), default);
        Assert.DoesNotContain(byIndex, line => line.Contains("Seq Scan"));
        Assert.Contains(byIndex, line => line.Contains("pkey"));

        await using var setting = new NpgsqlCommand("show enable_seqscan", connection);
        Assert.Equal("on", await setting.ExecuteScalarAsync());
    }
}
