using System.Collections.Concurrent;
using Marten;
using Npgsql;
using PatientJourney.Contracts;

namespace PatientJourney.StoreAndBus.EventStore;

/// <summary>One patient's new events, to follow the stream version its writer read under the patient's lock.</summary>
public sealed record StreamAppend(string StreamKey, long VersionBefore, IReadOnlyList<ClinicalEvent> Events);

/// <summary>
/// Appends a whole batch of patients' events as set-based statements, into Marten's own tables (the rows Marten's
/// <c>mt_quick_append_events</c> writes, read back by Marten as its own). Marten appends stream by stream, a PL/pgSQL
/// call each that inserts its events one at a time: at batch saturation those calls were half of PostgreSQL's time
/// (measured in docs/benchmarks-history.md, "set-based appends"). Concurrency is what it was: the writer holds the
/// patients' locks, and an append after a stale version collides with the stream's (stream, version) key and fails the
/// whole transaction.
/// </summary>
public static partial class ClinicalAppends
{
    private static readonly ConcurrentDictionary<Type, (string Type, string DotNetType)> Names = new();

    /// <summary>
    /// Queues the appends in the session's unit of work, written by its SaveChangesAsync with the rest of the transaction
    /// (the journey, which needs no sequence numbers back). Call inside the session's transaction (<see cref="StreamLock"/>).
    /// </summary>
    /// <param name="storedAt">The events' timestamp; the database's transaction time when not given. The journey gives
    /// its own clock's time, which it also keeps in each event's hash-chain link (when the journey knew it).</param>
    public static void QueueClinicalAppends(this IDocumentSession session, string schema, IReadOnlyCollection<StreamAppend> appends, DateTimeOffset? storedAt = null)
    {
        foreach (var statement in Statements(session.DocumentStore, schema, session.TenantId, appends, storedAt, traceOf: null, returning: false))
        {
            var (sql, parameters) = Positional(statement);
            session.QueueSqlCommand(sql, parameters);
        }
    }

    /// <summary>
    /// The statements that append: the streams' rows at their new versions, then the events. Each event's sequence number is taken by the statement that inserts its row, never before:
    /// a number taken earlier (nextval, then the insert) stood in the sequence with no row behind it, and with two
    /// instances writing one store, the outbox of the other took it for a rolled-back gap and moved past it (found by the
    /// scale-out chaos run, docs/reliability.md). With <paramref name="returning"/>, the events' statement answers their
    /// sequence numbers. None when there is nothing to append.
    /// </summary>
    /// <param name="traceOf">Each event's trace context, kept in its row's headers (<see cref="EventTraceContext"/>); none when not given.</param>
    public static IReadOnlyList<NpgsqlBatchCommand> Statements(IDocumentStore store, string schema, string tenantId, IReadOnlyCollection<StreamAppend> appends,
        DateTimeOffset? storedAt, Func<ClinicalEvent, System.Diagnostics.ActivityContext>? traceOf, bool returning)
    {
        var count = appends.Sum(a => a.Events.Count);
        if (count == 0) return [];

        var streamIds = new string[appends.Count];
        var streamVersions = new long[appends.Count];
        var ids = new Guid[count];
        var eventStreams = new string[count];
        var versions = new long[count];
        var bodies = new string[count];
        var types = new string[count];
        var dotNetTypes = new string[count];
        var serializer = store.Options.Serializer();
        var s = 0;
        var n = 0;
        foreach (var append in appends)
        {
            var version = append.VersionBefore;
            foreach (var e in append.Events)
            {
                var (type, dotNetType) = Names.GetOrAdd(e.GetType(), static (_, arg) =>
                {
                    using var session = arg.Store.LightweightSession(); // names only: no connection is opened
                    var built = session.Events.BuildEvent(arg.Event);
                    return (built.EventTypeName, built.DotNetTypeName);
                }, (Store: store, Event: (object)e));
                ids[n] = e.EventId;
                eventStreams[n] = append.StreamKey;
                versions[n] = ++version;
                bodies[n] = serializer.ToJson(e);
                types[n] = type;
                dotNetTypes[n] = dotNetType;
                n++;
            }
            streamIds[s] = append.StreamKey;
            streamVersions[s] = version;
            s++;
        }

        // Every stream's row at its new version, in one statement before the events (each event's row refers to its
        // stream's): a new stream's is inserted, a known one's version moved up, never down. A stale version moves nothing
        // here, and its events collide with the (stream, version) key below. One upsert instead of an insert of the new
        // streams and an update joined to the arrays, which PostgreSQL planned again at nearly every call.
        var streams = new NpgsqlBatchCommand($"""
            insert into {schema}.mt_streams as s (id, type, version, timestamp, tenant_id)
            select id, null, version, now(), $1 from unnest($2::varchar[], $3::bigint[]) as t(id, version)
            on conflict (id) do update set version = excluded.version, timestamp = excluded.timestamp where s.version < excluded.version
            """) { Parameters = { new() { Value = tenantId }, new() { Value = streamIds }, new() { Value = streamVersions } } };

        // The events' trace contexts go in the headers column only when traced: otherwise the statement stays as it was.
        var headers = traceOf is null ? null : appends.SelectMany(a => a.Events).Select(e => EventTraceContext.Headers(traceOf(e))).ToArray();
        var events = new NpgsqlBatchCommand();
        foreach (var value in new object[] { tenantId, ids, eventStreams, versions, bodies, types, dotNetTypes })
            events.Parameters.Add(new NpgsqlParameter { Value = value });
        if (storedAt is { } at) events.Parameters.Add(new NpgsqlParameter { Value = at.ToUniversalTime() });
        if (headers is not null) events.Parameters.Add(new NpgsqlParameter { Value = headers });
        var next = 8;
        var timestamp = storedAt is null ? "now()" : $"${next++}::timestamptz";
        var header = headers is null ? "" : $"${next++}::text[]";
        // Numbered in the order of the batch (ordinality), so that a stream's versions follow its sequence numbers.
        events.CommandText = $"""
            insert into {schema}.mt_events (seq_id, id, stream_id, version, data, type, tenant_id, timestamp, mt_dotnet_type, is_archived{(headers is null ? "" : ", headers")})
            select nextval('{schema}.mt_events_sequence'), id, stream_id, version, data::jsonb, type, $1, {timestamp}, dotnet_type, false{(headers is null ? "" : ", headers::jsonb")}
            from (select * from unnest($2::uuid[], $3::varchar[], $4::bigint[], $5::text[], $6::varchar[], $7::varchar[]{(headers is null ? "" : ", " + header)})
                with ordinality as e(id, stream_id, version, data, type, dotnet_type{(headers is null ? "" : ", headers")}, position) order by position) as e
            {(returning ? "returning seq_id" : "")}
            """;

        return [streams, events];
    }

    /// <summary>Marten's queued commands take their parameters as <c>?</c> in the order they appear: each <c>$n</c> becomes one.</summary>
    private static (string Sql, object[] Parameters) Positional(NpgsqlBatchCommand statement)
    {
        var parameters = new List<object>();
        var sql = Placeholder().Replace(statement.CommandText, m =>
        {
            parameters.Add(statement.Parameters[int.Parse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture) - 1].Value!);
            return "?";
        });
        return (sql, [.. parameters]);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\$(\d+)")]
    private static partial System.Text.RegularExpressions.Regex Placeholder();
}
