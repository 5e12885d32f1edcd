using System.Globalization;
using System.Text;
using PatientJourney.Hosting.Security;
using PatientJourney.Dashboard.Corrections;
using PatientJourney.Dashboard.Patients;

namespace PatientJourney.Dashboard.Audit;

/// <summary>
/// For auditors: every event of a patient with its whole envelope (who recorded it, when, which department, its ids),
/// and the journey as the system knew it at a chosen moment ("as known at", by recording time).
/// </summary>
public static class AuditPage
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/patients/{patientId}/audit", RenderAsync).RequireAuthorization(Policies.Audit).ExcludeFromDescription();

    private static async Task<IResult> RenderAsync(string patientId, string? asKnownAt, JourneyClient journey, TimeProvider clock, CancellationToken ct)
    {
        var knownAt = DateTimeOffset.TryParse(asKnownAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed : clock.GetUtcNow();
        IReadOnlyList<System.Text.Json.Nodes.JsonObject> events;
        JourneyView? known;
        try
        {
            if (await journey.JourneyAsync(patientId, null, ct) is null)
                return Html.Content(Html.Page(patientId, $"<h1>{Html.Encode(patientId)}</h1><p>No such patient in the journey.</p>"), 404);
            (events, known) = await journey.AsKnownAtAsync(patientId, knownAt, ct);
        }
        catch (HttpRequestException)
        {
            return Html.Content(Html.Page(patientId, "<p role=\"alert\">The journey service is not answering; this page will be back when it is.</p>"), 503);
        }

        var body = new StringBuilder();
        body.Append($"<h1>Audit · {Html.PatientLink(patientId)}</h1>");
        body.Append("<form class=\"filters\" method=\"get\"><label>As known at (UTC)<br>")
            .Append($"<input type=\"datetime-local\" step=\"1\" name=\"asKnownAt\" id=\"asKnownAt\" value=\"{knownAt.UtcDateTime:yyyy-MM-ddTHH:mm:ss}\"></label>")
            .Append("<button type=\"submit\">Show</button></form>");
        body.Append($"<p data-known-events=\"{events.Count}\">{events.Count} event(s) recorded by {knownAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC")
            .Append(known is null ? ": nothing was known about this patient yet.</p>"
                : $"; the journey they made: {known.Entries.Count} entries, {known.Flags.Count} alert(s){(known.LatestResponse is { } r ? $", latest response {Html.Encode(r.Category)}" : "")}.</p>");
        foreach (var flag in known?.Flags ?? []) body.Append($"<div class=\"alert\" data-flag=\"{Html.Encode(flag.Code)}\">{Html.Encode(flag.Message)}</div>");

        body.Append("<table><caption>Events as recorded, in the order the journey stored them</caption><thead><tr>")
            .Append("<th scope=\"col\">#</th><th scope=\"col\">Type</th><th scope=\"col\">Department</th><th scope=\"col\">Occurred on</th>")
            .Append("<th scope=\"col\">Recorded at</th><th scope=\"col\">Recorded by</th><th scope=\"col\">Stored at</th><th scope=\"col\">Event id</th><th scope=\"col\">Correction (as known then)</th></tr></thead><tbody>");
        var entries = known?.Entries.ToDictionary(e => e.EventId) ?? [];
        foreach (var e in events)
            body.Append($"<tr data-event=\"{Html.Encode((string?)e["eventId"])}\"><td>{Html.Encode(e["journeyVersion"]?.ToString())}</td><td>{Html.Encode((string?)e["type"])}</td>")
                .Append($"<td>{Html.Encode((string?)e["department"])}</td><td>{Html.Encode((string?)e["occurredOn"])}</td><td>{Html.Encode(e["recordedAt"]?.ToString())}</td>")
                .Append($"<td>{Html.Encode((string?)e["recordedBy"])}</td><td>{Html.Encode(e["storedAt"]?.ToString())}</td><td><code>{Html.Encode((string?)e["eventId"])}</code></td>")
                .Append($"<td>{(Guid.TryParse((string?)e["eventId"], out var id) && entries.TryGetValue(id, out var entry) && entry.Correction is not null ? CorrectionText.Line(entry, Html.Encode(entry.Type), entries) : "")}</td></tr>");
        body.Append("</tbody></table>");
        return Html.Content(Html.Page("Audit " + patientId, body.ToString()));
    }
}
