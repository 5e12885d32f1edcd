using System.Diagnostics;
using Marten;
using PatientJourney.Contracts;
using PatientJourney.StoreAndBus.EventStore;

namespace PatientJourney.DepartmentKit;

/// <summary>
/// The transaction a <see cref="DepartmentWriter"/> decides a batch in, on a connection of its own, in two round trips:
/// one that begins it and reads what the decisions need, one that writes what they decided and commits.
/// </summary>
internal sealed class DepartmentTransaction(IDocumentStore store, string schema)
{
    private readonly string _requests = store.Options.FindOrResolveDocumentType(typeof(IdempotentRequest)).TableName.QualifiedName;

    /// <summary>
    /// Opens the batch's transaction in one round trip: begins it, takes the patients' locks, and reads the Idempotency-Keys
    /// already answered and the streams' versions. The transaction is the connection's own (BEGIN and COMMIT as
    /// statements), so that <see cref="CommitAsync"/> can send the commit with the writes.
    /// </summary>
    public async Task<(Dictionary<string, IdempotentRequest> Answered, Dictionary<string, long> Versions)> BeginAsync(
        Npgsql.NpgsqlConnection connection, IReadOnlyCollection<string> patients, string[] keys, CancellationToken ct)
    {
        var answered = new Dictionary<string, IdempotentRequest>(StringComparer.Ordinal);
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var batch = new Npgsql.NpgsqlBatch(connection) { BatchCommands = { new("begin"), StreamLock.Statement(schema, patients) } };
        batch.BatchCommands.Add(new($"select data from {_requests} where id = any($1)") { Parameters = { new() { Value = keys } } });
        foreach (var statement in StreamCache.VersionsStatements(schema, patients)) batch.BatchCommands.Add(statement);
        var serializer = store.Options.Serializer();
        await using var reader = await batch.ExecuteReaderAsync(ct);
        do
        {
            // Told apart by their first column: the lock's count, a request's data, a stream's id and version.
            var first = reader.FieldCount == 0 ? "" : reader.GetName(0);
            while (await reader.ReadAsync(ct))
            {
                if (first == "data" && serializer.FromJson<IdempotentRequest>(reader, 0) is { } request) answered[request.Id] = request;
                else if (first == "id") StreamCache.ReadVersion(reader, versions);
            }
        } while (await reader.NextResultAsync(ct));
        return (answered, versions);
    }

    /// <summary>
    /// Writes the batch and commits it in one round trip (the events, the streams' versions, the answered
    /// Idempotency-Keys, then COMMIT): each event's row is inserted, and its sequence number taken, at the very end of
    /// the transaction, so the outbox meets it as an open gap only for that moment. Answers the highest sequence number
    /// committed, 0 when nothing was appended. Anything that fails rolls the whole transaction back.
    /// </summary>
    public async Task<long> CommitAsync(Npgsql.NpgsqlConnection connection, IReadOnlyCollection<StreamAppend> appends, IReadOnlyList<IdempotentRequest> requests,
        Func<ClinicalEvent, ActivityContext>? traceOf, CancellationToken ct)
    {
        await using var batch = new Npgsql.NpgsqlBatch(connection);
        foreach (var statement in ClinicalAppends.Statements(store, schema, JasperFx.StorageConstants.DefaultTenantId, appends, storedAt: null, traceOf, returning: true))
            batch.BatchCommands.Add(statement);
        if (requests.Count > 0)
        {
            var serializer = store.Options.Serializer();
            // An Idempotency-Key answered meanwhile by another writer collides with its primary key: the batch is decided again.
            batch.BatchCommands.Add(new($"insert into {_requests} (id, data, mt_dotnet_type) select id, data::jsonb, $3 from unnest($1::varchar[], $2::text[]) as t(id, data)")
            {
                Parameters =
                {
                    new() { Value = requests.Select(r => r.Id).ToArray() },
                    new() { Value = requests.Select(r => serializer.ToJson(r)).ToArray() },
                    new() { Value = typeof(IdempotentRequest).FullName },
                },
            });
        }
        batch.BatchCommands.Add(new("commit"));
        var last = 0L;
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(ct);
            do
            {
                while (await reader.ReadAsync(ct)) last = Math.Max(last, reader.GetInt64(0));
            } while (await reader.NextResultAsync(ct));
        }
        catch
        {
            await RollbackAsync(connection);
            throw;
        }
        return last;
    }

    /// <summary>Ends a transaction that failed before its commit; a connection that broke is not returned to the pool anyway.</summary>
    private static async Task RollbackAsync(Npgsql.NpgsqlConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open) return;
        try
        {
            await using var rollback = new Npgsql.NpgsqlCommand("rollback", connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception)
        {
            // the connection is discarded by its disposal
        }
    }
}
