using Marten;
using PatientJourney.Journey;
using PatientJourney.Journey.Worklist;

namespace PatientJourney.IntegrationTests.ReadModels;

public class WorklistCountsTests
{
    private static readonly DateOnly Today = new(2026, 11, 29);

    [Fact]
    public async Task Kept_counts_equal_counting_the_rows_after_inserts_rewrites_deletes_concurrent_writers_compaction_and_a_clean()
    {
        await using var isolation = await Isolation.CreateAsync();
        using var store = JourneyServiceExtensions.OpenJourneyStore(isolation.ConnectionString);
        var random = new Random(11);

        // Rows already there when the counts are installed are counted at installation.
        await WriteAsync(store, Enumerable.Range(0, 40).SelectMany(p => Entries(random, $"P{p}")));
        await WorklistCounts.EnsureAsync(store, default);
        await WorklistCounts.EnsureAsync(store, default); // idempotent: nothing counted twice
        await AssertCountsMatchRowsAsync(store);

        // Patients rewritten in place with rows past the new end deleted (the recorder's way), rewritten after deleting
        // all their rows (the rebuild's way), new patients, a row changed in place, one deleted.
        await using (var session = store.LightweightSession())
        {
            for (var p = 20; p < 60; p++)
            {
                var patientId = $"P{p}";
                var entries = Entries(random, patientId).ToList();
                var ids = entries.Select(e => e.Id).ToList();
                if (p < 40) session.DeleteWhere<WorklistEntry>(e => e.PatientId == patientId && !ids.Contains(e.Id));
                else session.DeleteWhere<WorklistEntry>(e => e.PatientId == patientId);
                foreach (var entry in entries) session.Store(entry);
            }
            session.Store(Entry(random, "P0", 0) with { Suspended = true, Booked = false, Deferred = false });
            session.Delete<WorklistEntry>("P1/0");
            await session.SaveChangesAsync();
        }
        await AssertCountsMatchRowsAsync(store);

        // Two writers at once over the same keys never wait on a shared counter (the deltas are inserts only).
        await Task.WhenAll(Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            var mine = new Random(w);
            for (var round = 0; round < 20; round++)
                await WriteAsync(store, Enumerable.Range(0, 5).SelectMany(p => Entries(mine, $"W{w}-{round}-{p}")));
        })));
        await AssertCountsMatchRowsAsync(store);

        Assert.True(await WorklistCounts.CompactAsync(store, default) > 0);
        Assert.Equal(0, await WorklistCounts.CompactAsync(store, default));
        await AssertCountsMatchRowsAsync(store);

        await store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(WorklistEntry));
        Assert.Equal(new WorklistCounts.StatusCounts(0, 0, 0, 0), await CountsAsync(store, Today));
    }

    [Fact]
    public async Task Rows_written_before_bookings_existed_are_counted_and_listed_without_a_rebuild()
    {
        await using var isolation = await Isolation.CreateAsync();
        using var store = JourneyServiceExtensions.OpenJourneyStore(isolation.ConnectionString);
        // The version before knew neither bookings nor deferrals.
        await WriteAsync(store, Enumerable.Range(0, 10).SelectMany(p => Entries(new Random(p), $"P{p}")).Select(e => e with { Booked = false, Deferred = false }));
        await WorklistCounts.EnsureAsync(store, default);

        // As a database of the version before has them: booked and deferred null, none of this version's triggers.
        var table = ((IDocumentStore)store).Options.FindOrResolveDocumentType(typeof(WorklistEntry)).TableName;
        await using (var connection = store.Storage.Database.CreateConnection())
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand($"""
                drop trigger worklist_status_counts_insert on {table.QualifiedName};
                update {table.QualifiedName} set booked = null, deferred = null;
                """, connection);
            await command.ExecuteNonQueryAsync();
        }

        await WorklistCounts.EnsureAsync(store, default);
        await using var session = store.QuerySession();
        Assert.Equal(await session.Query<WorklistEntry>().CountAsync(), await session.Query<WorklistEntry>().CountAsync(e => !e.Booked && !e.Deferred));
        await AssertCountsMatchRowsAsync(store);
    }

    private static async Task AssertCountsMatchRowsAsync(IDocumentStore store)
    {
        await using var session = store.QuerySession();
        var rows = await session.Query<WorklistEntry>().ToListAsync();
        Assert.NotEmpty(rows);
        // Days before, inside and after the generated due dates, and days some patients' latest events are after.
        foreach (var day in new[] { -400, -60, -10, 0, 3, 12, 45, 200, 900 }.Select(Today.AddDays))
        {
            var d = day.DayNumber;
            var valid = rows.Where(r => r.ValidFromDay <= d).ToList();
            // The contract's statuses, decided row by row: booked until the appointment's window ends, missed after;
            // deferred before the window opens; the others due in it, overdue after, upcoming before.
            string StatusOf(WorklistEntry r) =>
                r.Suspended ? "suspended"
                : r.Booked ? (r.DueUntilDay >= d ? "booked" : "missed")
                : r.DueFromDay > d ? (r.Deferred ? "deferred" : "upcoming")
                : r.DueUntilDay >= d ? "due" : "overdue";
            int N(string status) => valid.Count(r => StatusOf(r) == status);
            var expected = new WorklistCounts.StatusCounts(N("overdue"), N("due"), N("upcoming"), N("suspended"), N("booked"), N("missed"), N("deferred"));
            Assert.Equal(expected, await CountsAsync(store, day));
        }
    }

    private static Task<WorklistCounts.StatusCounts> CountsAsync(IDocumentStore store, DateOnly day) =>
        WorklistCounts.AsOfAsync(store, day, default);

    private static async Task WriteAsync(IDocumentStore store, IEnumerable<WorklistEntry> entries)
    {
        await using var session = store.LightweightSession();
        foreach (var entry in entries) session.Store(entry);
        await session.SaveChangesAsync();
    }

    private static IEnumerable<WorklistEntry> Entries(Random random, string patientId) =>
        Enumerable.Range(0, random.Next(1, 5)).Select(n => Entry(random, patientId, n));

    private static WorklistEntry Entry(Random random, string patientId, int n)
    {
        var dueOn = Today.AddDays(random.Next(-300, 300));
        var grace = random.Next(2) == 0 ? 7 : 14;
        var state = random.Next(10); // 0 suspended, 1 booked, 2 deferred, else plain
        return new WorklistEntry
        {
            Id = $"{patientId}/{n}",
            PatientId = patientId,
            Kind = grace == 7 ? "visit" : "ct",
            DueOn = dueOn,
            DueOnDay = dueOn.DayNumber,
            DueFromDay = dueOn.AddDays(-grace).DayNumber,
            DueUntilDay = dueOn.AddDays(grace).DayNumber,
            Suspended = state == 0,
            Booked = state == 1,
            Deferred = state == 2,
            ValidFromDay = Today.AddDays(random.Next(-500, 30)).DayNumber,
        };
    }
}
