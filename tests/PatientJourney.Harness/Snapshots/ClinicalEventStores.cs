using Npgsql;
using PatientJourney.StoreAndBus.EventStore;

namespace PatientJourney.Harness;

/// <summary>
/// The clinical events stored in the departments' and the journey's schemas, counted and listed from the database: a
/// department has no API that lists what it stored, and a fact stored twice is a row, which is what a chaos run and a
/// benchmark look for.
/// </summary>
public static class ClinicalEventStores
{
    /// <summary>The journey's schema (services/Journey's JourneyStore.Schema; the harness reaches the journey from outside).</summary>
    public const string JourneySchema = "journey";

    /// <summary>Clinical events in all <paramref name="schemas"/> together (a schema where nothing was stored yet counts 0).</summary>
    public static async Task<long> CountAsync(string connectionString, IEnumerable<string> schemas, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var total = 0L;
        foreach (var schema in schemas)
        {
            await using var command = new NpgsqlCommand(Tombstones.ClinicalEventsSql(schema, "count(*)"), connection);
            try
            {
                total += (long)(await command.ExecuteScalarAsync(ct))!;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable) { } // nothing stored there yet
        }
        return total;
    }

    /// <summary>Every clinical event id of a schema, a duplicate as often as it is stored.</summary>
    public static async Task<List<Guid>> IdsAsync(string connectionString, string schema, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(Tombstones.ClinicalEventsSql(schema, "id"), connection);
        var ids = new List<Guid>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) ids.Add(reader.GetGuid(0));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable) { }
        return ids;
    }
}
