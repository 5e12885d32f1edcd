using Npgsql;
using PatientJourney.StoreAndBus.EventStore;

namespace PatientJourney.Harness;

/// <summary>
/// The journey's read models as text (jsonb is canonical), to compare two journeys (or live and rebuilt) byte for byte;
/// with the journey's events by patient and event id (not by version: arrival order may differ), since the journey's
/// entries are read from them rather than stored in the view. Read from the database: no endpoint hands out the stored
/// documents as they are, and a byte-for-byte comparison is of what is stored.
/// </summary>
public static class ReadModelSnapshot
{
    public static async Task<string> TakeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // The parts numbered and ordered: a union's rows come in no promised order (a parallel append returns them as
        // its workers finish), and two snapshots of the same read models must read the same.
        await using var command = new NpgsqlCommand(
            "select 1 as part, string_agg(id || ' ' || data::text, E'\\n' order by id) from journey.mt_doc_patientjourneyview"
            + " union all select 2, string_agg(id || ' ' || data::text, E'\\n' order by id) from journey.mt_doc_worklistentry"
            + " union all select 3, string_agg(stream_id || ' ' || id || ' ' || data::text, E'\\n' order by stream_id, id) from ("
            + Tombstones.ClinicalEventsSql(ClinicalEventStores.JourneySchema, "stream_id, id, data") + ") e order by part", connection);
        var parts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) parts.Add(reader.IsDBNull(1) ? "" : reader.GetString(1));
        return string.Join("\n--\n", parts);
    }
}
