using System.Globalization;
using PatientJourney.Dashboard.Patients;

namespace PatientJourney.Dashboard.Corrections;

/// <summary>
/// How a corrected entry reads, wherever entries are listed: a retracted or replaced fact struck through (`del`) and
/// said in words ("Retracted", "Replaced": not the strike or a colour alone, which a screen reader does not announce),
/// with the correction's reason, who and when; an amendment says what it replaced and why.
/// </summary>
public static class CorrectionText
{
    private static string When(EntryCorrection c) =>
        $"<time datetime=\"{c.At.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\">{c.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC</time>";

    private static string Who(EntryCorrection? c) => c is null ? "" : $" by {Html.Encode(c.By)} on {When(c)}: {Html.Encode(c.Reason)}";

    /// <summary>The entry's line (date and summary, already HTML), struck through if it no longer stands, with its correction.</summary>
    public static string Line(EntryRow e, string line, IReadOnlyDictionary<Guid, EntryRow> entries) => e.CorrectedAs switch
    {
        "retracted" => $"<del>{line}</del> <span class=\"correction\"><strong>Retracted</strong>{Who(e.Correction)}</span>",
        "replaced" => $"<del>{line}</del> <span class=\"correction\"><strong>Replaced</strong> by <a href=\"#event-{e.AmendedBy}\">its amended version</a>{Who(e.Correction)}</span>",
        _ when e.Amends is { } replaced => $"{line} <span class=\"correction\"><strong>Amended</strong>: replaces " +
            (entries.TryGetValue(replaced, out var earlier) ? $"<a href=\"#event-{replaced}\">“{Html.Encode(earlier.Summary)}”</a>" : "an earlier version") + $"{Who(e.Correction)}</span>",
        _ => line,
    };

    /// <summary>The same, in plain words, for a chart's mark (an SVG title).</summary>
    public static string Label(EntryRow e) => e.CorrectedAs is { } corrected ? $"{corrected}: {e.Summary}" : e.Summary;
}
