using Npgsql;

namespace PatientJourney.Journey.Projections;

/// <summary>The journey's read models as text (jsonb is canonical), to compare two journeys (or live and rebuilt) byte for byte.</summary>
public static class ReadModelSnapshot
{
    public static async Task<string> TakeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select string_agg(id || ' ' || data::text, E'\\n' order by id) from journey.mt_doc_patientjourneyview"
            + " union all select string_agg(id || ' ' || data::text, E'\\n' order by id) from journey.mt_doc_worklistentry", connection);
        var parts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) parts.Add(reader.IsDBNull(0) ? "" : reader.GetString(0));
        return string.Join("\n--\n", parts);
    }
}
