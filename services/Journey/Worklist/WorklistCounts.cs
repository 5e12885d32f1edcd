using PatientJourney.StoreAndBus.EventStore;
using Marten;
using Microsoft.Extensions.Logging;
using Npgsql;
using PatientJourney.Journey.Surveillance;

namespace PatientJourney.Journey.Worklist;

/// <summary>
/// How many open worklist items there are per status as of any day, without counting the items: the dashboard shows
/// the counts on every load, and counting ~100,000 overdue items took longer than the page itself.
/// An item's status as of a day depends only on (suspended, booked, deferred, due_from_day, due_until_day), so the counts are kept per
/// such key. Triggers on the worklist table write every change as a delta row (append-only, so concurrent writers never
/// wait on one hot counter row), whatever writes it: the recorder, the batched rebuild's COPY, a test's clean-up.
/// A compactor folds the deltas into the per-key totals. A count is one statement over totals plus pending deltas, so
/// it is exact at its snapshot.
/// </summary>
public static class WorklistCounts
{
    public sealed record StatusCounts(long Overdue, long Due, long Upcoming, long Suspended, long Booked = 0, long Missed = 0, long Deferred = 0)
    {
        public long Of(string status) => status switch
        {
            ItemStatus.Overdue => Overdue,
            ItemStatus.Due => Due,
            ItemStatus.Upcoming => Upcoming,
            ItemStatus.Booked => Booked,
            ItemStatus.Missed => Missed,
            ItemStatus.Deferred => Deferred,
            _ => Suspended,
        };
    }

    // The key grew booked and deferred (issue 30): the tables and triggers of the key before are dropped, not migrated.
    private const string Totals = "worklist_status_counts", Deltas = "worklist_status_count_changes",
        Key = "suspended, booked, deferred, due_from_day, due_until_day", Before = "worklist_counts";

    /// <summary>Creates the totals, the deltas and the triggers once (totals counted from the rows already there); idempotent.</summary>
    public static async Task EnsureAsync(IDocumentStore store, CancellationToken ct)
    {
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(WorklistEntry), ct);
        var (schema, worklist) = Names(store);
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(connection, $"select pg_advisory_xact_lock(hashtext('{schema}.{Totals}'))", ct);
        await using (var check = new NpgsqlCommand(
            $"select count(*) from pg_trigger where tgrelid = '{worklist}'::regclass and tgname like '{Totals}%'", connection))
        {
            if ((long)(await check.ExecuteScalarAsync(ct))! == 4) { await tx.CommitAsync(ct); return; }
        }
        // No write may land between counting the rows and the triggers taking over.
        await ExecuteAsync(connection, $"""
            lock table {worklist} in share row exclusive mode;
            drop trigger if exists {Before}_insert on {worklist};
            drop trigger if exists {Before}_delete on {worklist};
            drop trigger if exists {Before}_update on {worklist};
            drop trigger if exists {Before}_truncate on {worklist};
            drop table if exists {schema}.{Before}, {schema}.worklist_count_changes;
            drop function if exists {schema}.{Before}_added(), {schema}.{Before}_removed(), {schema}.{Before}_changed(), {schema}.{Before}_emptied();
            create table if not exists {schema}.{Totals} (suspended boolean not null, booked boolean not null, deferred boolean not null,
                due_from_day integer not null, due_until_day integer not null, n bigint not null, primary key ({Key}));
            create table if not exists {schema}.{Deltas} (suspended boolean not null, booked boolean not null, deferred boolean not null,
                due_from_day integer not null, due_until_day integer not null, n bigint not null);
            delete from {schema}.{Deltas};
            delete from {schema}.{Totals};
            -- Rows written before booked and deferred existed have them null: they were neither.
            insert into {schema}.{Totals} select suspended, coalesce(booked, false), coalesce(deferred, false), due_from_day, due_until_day, count(*)
                from {worklist} group by 1, 2, 3, 4, 5;

            create or replace function {schema}.{Totals}_added() returns trigger language plpgsql as $$ begin
                insert into {schema}.{Deltas} values (new.suspended, coalesce(new.booked, false), coalesce(new.deferred, false), new.due_from_day, new.due_until_day, 1); return null; end $$;
            create or replace function {schema}.{Totals}_removed() returns trigger language plpgsql as $$ begin
                insert into {schema}.{Deltas} values (old.suspended, coalesce(old.booked, false), coalesce(old.deferred, false), old.due_from_day, old.due_until_day, -1); return null; end $$;
            create or replace function {schema}.{Totals}_changed() returns trigger language plpgsql as $$ begin
                insert into {schema}.{Deltas} values (old.suspended, coalesce(old.booked, false), coalesce(old.deferred, false), old.due_from_day, old.due_until_day, -1),
                    (new.suspended, coalesce(new.booked, false), coalesce(new.deferred, false), new.due_from_day, new.due_until_day, 1);
                return null; end $$;
            create or replace function {schema}.{Totals}_emptied() returns trigger language plpgsql as $$ begin
                delete from {schema}.{Deltas}; delete from {schema}.{Totals}; return null; end $$;

            -- Row triggers: an upsert that leaves an item's key as it was (the journey's usual rewrite) costs nothing.
            create or replace trigger {Totals}_insert after insert on {worklist}
                for each row execute function {schema}.{Totals}_added();
            create or replace trigger {Totals}_delete after delete on {worklist}
                for each row execute function {schema}.{Totals}_removed();
            create or replace trigger {Totals}_update after update on {worklist} for each row
                when ((old.suspended, old.booked, old.deferred, old.due_from_day, old.due_until_day) is distinct from (new.suspended, new.booked, new.deferred, new.due_from_day, new.due_until_day))
                execute function {schema}.{Totals}_changed();
            create or replace trigger {Totals}_truncate after truncate on {worklist}
                for each statement execute function {schema}.{Totals}_emptied();
            """, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Open items per status as of a day, for the patients whose index rows hold on that day (valid_from_day &lt;= day):
    /// the rows of patients with later events are taken out again, since those patients are recomputed from their streams.
    /// </summary>
    public static async Task<StatusCounts> AsOfAsync(IDocumentStore store, DateOnly asOf, CancellationToken ct)
    {
        var (schema, worklist) = Names(store);
        var sql = $"""
            select coalesce(sum(n) filter (where not suspended and not booked and due_until_day < @d), 0),
                   coalesce(sum(n) filter (where not suspended and not booked and due_from_day <= @d and due_until_day >= @d), 0),
                   coalesce(sum(n) filter (where not suspended and not booked and not deferred and due_from_day > @d), 0),
                   coalesce(sum(n) filter (where suspended), 0),
                   coalesce(sum(n) filter (where booked and due_until_day >= @d), 0),
                   coalesce(sum(n) filter (where booked and due_until_day < @d), 0),
                   coalesce(sum(n) filter (where deferred and due_from_day > @d), 0)
            from (select {Key}, n from {schema}.{Totals}
                  union all select {Key}, n from {schema}.{Deltas}
                  union all select suspended, coalesce(booked, false), coalesce(deferred, false), due_from_day, due_until_day, -1
                            from {worklist} where valid_from_day > @d) c
            """;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new("d", asOf.DayNumber) } };
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new StatusCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3),
            reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6));
    }

    /// <summary>Folds the pending deltas into the totals (in key order, so two compactors cannot deadlock); returns how many.</summary>
    public static async Task<int> CompactAsync(IDocumentStore store, CancellationToken ct)
    {
        var (schema, _) = Names(store);
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var command = new NpgsqlCommand($"""
            with moved as (delete from {schema}.{Deltas} returning {Key}, n),
                 folded as (insert into {schema}.{Totals} select {Key}, sum(n) from moved group by {Key} order by {Key}
                            on conflict ({Key}) do update set n = {Totals}.n + excluded.n returning 1)
            select count(*) from folded;
            delete from {schema}.{Totals} where n = 0;
            """, connection);
        var folded = (long)(await command.ExecuteScalarAsync(ct))!;
        await tx.CommitAsync(ct);
        return (int)folded;
    }

    private static (string Schema, string Worklist) Names(IDocumentStore store)
    {
        var table = store.Options.FindOrResolveDocumentType(typeof(WorklistEntry)).TableName;
        return (table.Schema, table.QualifiedName);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>Installs the worklist counts before the journey consumes anything, then folds their deltas every few seconds.</summary>
public sealed partial class WorklistCountsCompactor(IDocumentStore store, StoreSchema schema, ILogger<WorklistCountsCompactor> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await schema.AppliedAsync(stoppingToken);
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try { await WorklistCounts.CompactAsync(store, stoppingToken); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The counts stay exact without compaction (the deltas are summed too), only slower: retry next tick.
                LogCompactionFailed(logger, e.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Folding the worklist count deltas failed ({Error}); retrying")]
    private static partial void LogCompactionFailed(ILogger logger, string error);
}
