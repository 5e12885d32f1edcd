using System.Globalization;
using System.Text;

namespace PatientJourney.Journey.Worklist;

/// <summary>
/// The worklist as CSV for meetings (RFC 4180: CRLF line ends, a header row, fields quoted when they hold a comma, a
/// quote or a line break, quotes doubled): the JSON worklist's fields and nothing more.
/// </summary>
public static class WorklistCsv
{
    public const string ContentType = "text/csv; charset=utf-8; header=present";

    public static readonly IReadOnlyList<string> Header = ["patientId", "displayName", "kind", "dueOn", "status", "scheduledOn", "deferredUntil"];

    public static string Write(IEnumerable<WorklistItem> rows)
    {
        var csv = new StringBuilder();
        Line(csv, Header);
        foreach (var r in rows)
            Line(csv, [r.PatientId, r.DisplayName, r.Kind, Date(r.DueOn), r.Status, Date(r.ScheduledOn), Date(r.DeferredUntil)]);
        return csv.ToString();
    }

    private static string? Date(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder csv, IEnumerable<string?> fields)
    {
        csv.AppendJoin(',', fields.Select(Field));
        csv.Append("\r\n");
    }

    private static string Field(string? value) =>
        value is null ? "" : value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
