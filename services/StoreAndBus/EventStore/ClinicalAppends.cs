using System.Collections.Concurrent;
using Marten;
using Npgsql;
using PatientJourney.Contracts;

namespace PatientJourney.StoreAndBus.EventStore;

/// <summary>One patient's new events, to follow the stream version its writer read under the patient's lock.</summary>
public sealed record StreamAppend(string StreamKey, long VersionBefore, IReadOnlyList<ClinicalEvent> Events);

/// <summary>
/// Appends a whole batch of patients' events as two set-based statements in the session's unit of work, into Marten's
/// own tables (the rows Marten's <c>mt_quick_append_events</c> writes, read back by Marten as its own). Marten appends
/// stream by stream, a PL/pgSQL call each that inserts its events one at a time: at batch saturation those calls were
/// half of PostgreSQL's time (measured in docs/benchmarks-history.md, "set-based appends"). Concurrency is what it was: the
/// writer holds the patients' locks, and an append after a stale version collides with the stream's
/// (stream, version) key and fails the whole transaction.
/// </summary>
public static class ClinicalAppends
{
    private static readonly ConcurrentDictionary<Type, (string Type, string DotNetType)> Names = new();

    /// <summary>
    /// Queues the appends (committed by the session's SaveChangesAsync) and returns the highest sequence number they
    /// were given, 0 when there is nothing to append. Call inside the session's transaction (<see cref="StreamLock"/>).
    /// </summary>
    /// <param name="storedAt">The events' timestamp; the database's transaction time when not given. The journey gives
    /// its own clock's time, which it also keeps in each event's hash-chain link (when the journey knew it).</param>
    /// <param name="traceOf">Each event's trace context, kept in its row's headers (<see cref="EventTraceContext"/>); none when not given.</param>
    public static async Task<long> AppendClinicalAsync(this IDocumentSession session, string schema, IReadOnlyCollection<StreamAppend> appends, CancellationToken ct,
        DateTimeOffset? storedAt = null, Func<ClinicalEvent, System.Diagnostics.ActivityContext>? traceOf = null)
    {
        var count = appends.Sum(a => a.Events.Count);
        if (count == 0) return 0;

        // The sequence numbers first, in one round trip, so that the caller knows what it committed (the outbox's backlog).
        var sequences = new long[count];
        await using (var command = new NpgsqlCommand($"select nextval('{schema}.mt_events_sequence') from generate_series(1, @n)", session.Connection))
        {
            command.Parameters.Add(new NpgsqlParameter<int>("n", count));
            await using var reader = await command.ExecuteReaderAsync(ct);
            for (var i = 0; await reader.ReadAsync(ct); i++) sequences[i] = reader.GetInt64(0);
        }
        Array.Sort(sequences); // a stream's versions follow its sequence numbers

        var streamIds = new string[appends.Count];
        var streamVersions = new long[appends.Count];
        var ids = new Guid[count];
        var eventStreams = new string[count];
        var versions = new long[count];
        var bodies = new string[count];
        var types = new string[count];
        var dotNetTypes = new string[count];
        var serializer = session.DocumentStore.Options.Serializer();
        var s = 0;
        var n = 0;
        foreach (var append in appends)
        {
            var version = append.VersionBefore;
            foreach (var e in append.Events)
            {
                var (type, dotNetType) = Names.GetOrAdd(e.GetType(), static (_, arg) =>
                {
                    var built = arg.Session.Events.BuildEvent(arg.Event);
                    return (built.EventTypeName, built.DotNetTypeName);
                }, (Session: session, Event: (object)e));
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

        // The streams first: each event's row refers to its stream's. A version never goes back (as in Marten's own append).
        session.QueueSqlCommand($"""
            insert into {schema}.mt_streams as s (id, type, version, timestamp, tenant_id)
            select id, null, version, now(), ? from unnest(?::varchar[], ?::bigint[]) as t(id, version)
            on conflict (id) do update set version = excluded.version, timestamp = excluded.timestamp where s.version < excluded.version
            """, session.TenantId, streamIds, streamVersions);
        // The events' trace contexts go in the headers column only when traced: otherwise the statement stays as it was.
        var headers = traceOf is null ? null : appends.SelectMany(a => a.Events).Select(e => EventTraceContext.Headers(traceOf(e))).ToArray();
        var parameters = new List<object> { session.TenantId };
        if (storedAt is { } at) parameters.Add(at.ToUniversalTime());
        parameters.AddRange([sequences, ids, eventStreams, versions, bodies, types, dotNetTypes]);
        if (headers is not null) parameters.Add(headers);
        session.QueueSqlCommand($"""
            insert into {schema}.mt_events (seq_id, id, stream_id, version, data, type, tenant_id, timestamp, mt_dotnet_type, is_archived{(headers is null ? "" : ", headers")})
            select seq_id, id, stream_id, version, data::jsonb, type, ?, {(storedAt is null ? "now()" : "?::timestamptz")}, dotnet_type, false{(headers is null ? "" : ", headers::jsonb")}
            from unnest(?::bigint[], ?::uuid[], ?::varchar[], ?::bigint[], ?::text[], ?::varchar[], ?::varchar[]{(headers is null ? "" : ", ?::text[]")})
                as e(seq_id, id, stream_id, version, data, type, dotnet_type{(headers is null ? "" : ", headers")})
            """, [.. parameters]);
        return sequences[^1];
    }
}
