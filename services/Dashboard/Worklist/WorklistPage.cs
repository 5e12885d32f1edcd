using System.Text;
using PatientJourney.Hosting.Security;
using Microsoft.AspNetCore.Antiforgery;
using PatientJourney.Dashboard.Navigation;
using PatientJourney.Dashboard.Patients;

namespace PatientJourney.Dashboard.Worklist;

/// <summary>The home page: every open surveillance item across patients, overdue first, with filters and an "as of" day.</summary>
public static class WorklistPage
{
    // The journey's open statuses, most urgent first (docs/api-contract.md, surveillance).
    // A row is one open item: its own actions (the plan's and the patient's are on the patient page).
    private static readonly NavigationAction[] RowActions = NavigationActions.All.Where(a => a.ForAnItem).ToArray();

    private static readonly string[] Statuses = ["overdue", "missed", "due", "booked", "upcoming", "deferred", "suspended"];

    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/", RenderAsync).RequireAuthorization(Policies.ReadJourney).ExcludeFromDescription();

    private static async Task<IResult> RenderAsync(string? asOf, string? status, string? kind, HttpContext http, JourneyClient journey, TimeProvider clock, CancellationToken ct)
    {
        var day = DateOnly.TryParseExact(asOf, "yyyy-MM-dd", out var parsed) ? parsed : DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var chosenStatus = Statuses.Contains(status) ? status : null;
        IReadOnlyList<WorklistRow> all;
        IReadOnlyDictionary<string, int> counts;
        try
        {
            (all, counts) = await journey.WorklistAsync(day, null, ct);
        }
        catch (HttpRequestException)
        {
            return Html.Content(Html.Page("Worklist", "<p role=\"alert\">The journey service is not answering; the worklist will be back when it is.</p>"), 503);
        }

        var kinds = all.Select(r => r.Kind).Distinct().Order(StringComparer.Ordinal).ToList();
        var rows = all.Where(r => (chosenStatus is null || r.Status == chosenStatus) && (string.IsNullOrEmpty(kind) || r.Kind == kind))
            .OrderBy(r => Array.IndexOf(Statuses, r.Status)).ThenBy(r => r.DueOn).ThenBy(r => r.PatientId, StringComparer.Ordinal).ToList();

        var acts = NavigationActions.MayAct(http.User);
        var body = new StringBuilder();
        body.Append("<h1>Worklist</h1>");
        // Back from a row's action posted without the script (with it, the row itself says so).
        if (acts && NavigationActions.Notice(http.Request) is { Length: > 0 } notice) body.Append($"<p role=\"status\" data-recorded-notice>{Html.Encode(notice)}</p>");
        body.Append("<form class=\"filters\" method=\"get\" action=\"/\">")
            .Append($"<label>As of<br><input type=\"date\" name=\"asOf\" id=\"asOf\" value=\"{day:yyyy-MM-dd}\"></label>")
            .Append("<label>Status<br><select name=\"status\" id=\"status\"><option value=\"\">all open</option>")
            .Append(string.Concat(Statuses.Select(s => $"<option value=\"{s}\"{(s == chosenStatus ? " selected" : "")}>{s}</option>"))).Append("</select></label>")
            .Append("<label>Kind<br><select name=\"kind\" id=\"kind\"><option value=\"\">all</option>")
            .Append(string.Concat(kinds.Select(k => $"<option value=\"{Html.Encode(k)}\"{(k == kind ? " selected" : "")}>{Html.Encode(k)}</option>"))).Append("</select></label>")
            .Append("<button type=\"submit\">Show</button></form>");
        body.Append("<ul class=\"counts\" aria-label=\"Items per status\">")
            .Append(string.Concat(Statuses.Select(s => $"<li class=\"{s}\" data-count=\"{s}\">{s}: {counts.GetValueOrDefault(s, all.Count(r => r.Status == s))}</li>")))
            .Append("</ul>");
        var total = counts.Count > 0 ? counts.Values.Sum() : all.Count;
        body.Append($"<table><caption>{rows.Count} open item(s) as of {Html.Date(day)}, overdue first{(total > all.Count ? $" (the first {all.Count} of {total})" : "")}</caption>")
            .Append("<thead><tr><th scope=\"col\">Status</th><th scope=\"col\">Due</th><th scope=\"col\">Kind</th><th scope=\"col\">Patient</th><th scope=\"col\">Name</th>")
            .Append(acts ? "<th scope=\"col\">Actions</th>" : "").Append("</tr></thead><tbody>");
        var returnUrl = http.Request.Path + http.Request.QueryString;
        var tokens = acts ? http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http) : null;
        foreach (var (r, i) in rows.Select((r, i) => (r, i)))
        {
            body.Append($"<tr data-patient=\"{Html.Encode(r.PatientId)}\" data-kind=\"{Html.Encode(r.Kind)}\"><td class=\"{Html.Encode(r.Status)}\" data-status=\"{Html.Encode(r.Status)}\">{Html.Encode(r.Status)}</td>")
                .Append($"<td>{Html.Date(r.DueOn)}</td><td>{Html.Encode(r.Kind)}</td><td>{Html.PatientLink(r.PatientId)}</td><td>{Html.Encode(r.DisplayName)}</td>");
            if (tokens is not null)
                body.Append($"<td><details data-actions><summary aria-label=\"Actions for {Html.Encode(r.Kind)} of {Html.Encode(r.PatientId)}\">Actions</summary>")
                    .Append(string.Concat(RowActions.Select(a => NavigationActions.Form(a, r.PatientId, r.Kind, $"row{i}-{a.Name}", tokens, returnUrl))))
                    .Append($"<p><a href=\"/patients/{Html.Encode(Uri.EscapeDataString(r.PatientId))}#actions\">End the plan, record a death, assign a navigator</a></p>")
                    .Append("<p role=\"status\" data-recorded></p></details></td>");
            body.Append("</tr>");
        }
        body.Append("</tbody></table>");
        return Html.Content(Html.Page("Worklist", body.ToString(), acts ? Html.Script(Assets.ActionsScriptPath, "actions", "in-place") : ""));
    }
}
