using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.WebUtilities;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Dashboard.SigningIn;
using PatientJourney.Hosting.Security;

namespace PatientJourney.Dashboard.Navigation;

/// <summary>One field of an action's form, named as the department names it (so its `errors` land beside it).</summary>
/// <param name="Type">An input's type, or "select" (with <paramref name="Options"/>) or "textarea".</param>
/// <param name="Hint">A short help text under the label, read with the field (aria-describedby).</param>
public sealed record ActionField(string Name, string Label, string Type = "text", string[]? Options = null, string? Hint = null);

/// <summary>A navigation fact the dashboard records (docs/api-contract.md, Diagnosis: the navigation routes).</summary>
/// <param name="StatusAfter">What the worklist row shows once the fact is recorded (null: the row stays as it is).</param>
public sealed record NavigationAction(string Name, string Label, string Route, bool ForAnItem, string? StatusAfter, params ActionField[] Fields);

/// <summary>
/// The navigator's actions, as forms posted to this dashboard (same origin, with its anti-forgery token), which forwards
/// them to the diagnosis department with the signed-in user's own token: the browser never holds the token. With the
/// page's script (Assets.ActionsScript) the answer comes back in place; without it the form posts and comes back here.
/// </summary>
public static class NavigationActions
{
    private const string Department = "diagnosis";
    public const string Policy = "record-navigation-facts-from-the-dashboard";
    private static readonly string[] Kinds = [.. SurveillanceItemKinds.All];

    public static readonly NavigationAction[] All =
    [
        new("book", "Book", "appointments", true, "booked", new ActionField("scheduledOn", "Scheduled on", "date"), new ActionField("location", "Location")),
        new("defer", "Defer", "deferrals", true, "deferred", new ActionField("until", "Until", "date"), new ActionField("reason", "Reason")),
        new("outside-result", "Enter an outside result", "outside-results", true, "done",
            new ActionField("performedOn", "Performed on", "date"), new ActionField("facility", "Facility"), new ActionField("summary", "Summary")),
        new("end-plan", "End the plan", "surveillance-plans/end", false, "closed",
            new ActionField("endedOn", "Ended on", "date"), new ActionField("reason", "Reason", "select", ["completed", "declined", "transferred", "lost-to-follow-up"])),
        new("death", "Record a death", "death", false, "closed", new ActionField("diedOn", "Died on", "date"), new ActionField("cause", "Cause")),
        new("navigator", "Assign a navigator", "navigator", false, null, new ActionField("navigator", "Navigator (user name)")),
        // The patient's own interval for a kind, in force from today: the protocol stays the same for everyone else.
        new("override", "Override an interval", "surveillance-overrides", false, null,
            new ActionField("kind", "Kind", "select", [.. SurveillanceItemKinds.Repeating]),
            new ActionField("intervalMonths", "Every (months)", "number",
                Hint: $"{ClinicalLimits.OverrideIntervalMonths.Min} to {ClinicalLimits.OverrideIntervalMonths.Max} months, in force from today"),
            new ActionField("reason", "Reason")),
    ];

    /// <summary>The query parameter naming the action just recorded, so that the page the browser comes back to says so.</summary>
    public const string RecordedField = "recorded";

    /// <summary>Only those the department lets record navigation facts see the actions (it refuses the others anyway).</summary>
    public static bool MayAct(ClaimsPrincipal user) => user.IsInRole(Roles.Navigator) || user.IsInRole(Roles.Department(Department));

    public static void AddPolicy(Microsoft.AspNetCore.Authorization.AuthorizationOptions o) =>
        o.AddPolicy(Policy, p => p.RequireRole(Roles.Navigator, Roles.Department(Department)));

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/patients/{patientId}/actions/{action}", ActAsync).RequireAuthorization(Policy).ExcludeFromDescription();

    /// <summary>
    /// One action's form. <paramref name="kind"/> fixes the item's kind (a worklist row); else an item's action offers every kind.
    /// <paramref name="id"/> prefixes every element id, unique on the page.
    /// </summary>
    /// <param name="url">Where the form posts (else this action's route of the dashboard).</param>
    public static string Form(NavigationAction action, string patientId, string? kind, string id, AntiforgeryTokenSet tokens, string returnUrl,
        IReadOnlyDictionary<string, string>? values = null, DepartmentAnswer? refused = null, string? url = null)
    {
        var errors = refused?.Errors ?? new Dictionary<string, string[]>();
        var shown = new HashSet<string>(StringComparer.Ordinal);
        var html = new StringBuilder();
        html.Append($"<form class=\"action\" method=\"post\" id=\"{Html.Encode(id)}\" data-action=\"{action.Name}\" data-status-after=\"{action.StatusAfter}\" ")
            .Append($"action=\"{Html.Encode(url ?? $"/patients/{Uri.EscapeDataString(patientId)}/actions/{action.Name}")}\">")
            .Append(Html.AntiforgeryField(tokens))
            .Append($"<input type=\"hidden\" name=\"{ReturnUrls.Field}\" value=\"{Html.Encode(returnUrl)}\">");
        var fields = action.ForAnItem
            ? kind is not null ? action.Fields : [new ActionField("kind", "Kind", "select", Kinds), .. action.Fields]
            : action.Fields;
        if (action.ForAnItem && kind is not null) html.Append($"<input type=\"hidden\" name=\"kind\" value=\"{Html.Encode(kind)}\">");
        foreach (var field in fields)
        {
            var input = $"{id}-{field.Name}";
            var value = values?.GetValueOrDefault(field.Name) ?? "";
            var message = errors.TryGetValue(field.Name, out var m) ? string.Join(" ", m) : "";
            if (message.Length > 0) shown.Add(field.Name);
            var invalid = message.Length > 0 ? " aria-invalid=\"true\"" : "";
            html.Append($"<label for=\"{Html.Encode(input)}\">{Html.Encode(field.Label)}</label> ");
            var described = $"{Html.Encode(input)}-error";
            if (field.Hint is { } hint)
            {
                html.Append($"<span class=\"hint\" id=\"{Html.Encode(input)}-hint\">{Html.Encode(hint)}</span> ");
                described = $"{Html.Encode(input)}-hint {described}";
            }
            html.Append(field.Type switch
            {
                "select" => $"<select id=\"{Html.Encode(input)}\" name=\"{field.Name}\" aria-describedby=\"{described}\"{invalid}>" +
                            string.Concat(field.Options!.Select(o => $"<option{(o == value ? " selected" : "")}>{Html.Encode(o)}</option>")) + "</select>",
                "textarea" => $"<textarea id=\"{Html.Encode(input)}\" name=\"{field.Name}\" rows=\"6\" spellcheck=\"false\" aria-describedby=\"{described}\"{invalid}>{Html.Encode(value)}</textarea>",
                _ => $"<input type=\"{field.Type}\" id=\"{Html.Encode(input)}\" name=\"{field.Name}\" value=\"{Html.Encode(value)}\" aria-describedby=\"{described}\"{invalid}>",
            });
            html.Append($" <span class=\"error\" role=\"alert\" id=\"{Html.Encode(input)}-error\" data-error-for=\"{field.Name}\">{Html.Encode(message)}</span> ");
        }
        // A refusal naming no field of this form (a fixed kind with no open item, a 403): said once, for the whole form.
        var rest = errors.Where(e => !shown.Contains(e.Key)).Select(e => $"{e.Key}: {string.Join(" ", e.Value)}").ToList();
        if (rest.Count == 0 && errors.Count == 0 && refused is { Accepted: false, Detail: { } detail }) rest.Add(detail);
        html.Append($"<button type=\"submit\">{Html.Encode(action.Label)}</button>")
            .Append($" <span class=\"error\" role=\"alert\" id=\"{Html.Encode(id)}-error\" data-error-for=\"\">{Html.Encode(string.Join(" ", rest))}</span>")
            .Append("</form>");
        return html.ToString();
    }

    private static async Task<IResult> ActAsync(string patientId, string action, HttpContext http, IAntiforgery antiforgery, DepartmentClients departments, CancellationToken ct)
    {
        if (All.FirstOrDefault(a => a.Name == action) is not { } spec) return Results.NotFound();
        var names = (spec.ForAnItem ? ["kind"] : Array.Empty<string>()).Concat(spec.Fields.Select(f => f.Name));
        return await AnswerAsync(http, antiforgery, spec, patientId, names, null, values =>
        {
            var body = new JsonObject();
            foreach (var (name, value) in values) body[name] = Json(spec, name, value); // an empty field is left out: the department names it as missing
            return departments.PostAsync(Department, $"/patients/{Uri.EscapeDataString(patientId)}/{spec.Route}", body, ct);
        }, ct);
    }

    // A whole number goes as a JSON number (the departments read numbers strictly); anything else goes as typed, for the
    // department to name the field.
    private static JsonNode Json(NavigationAction spec, string name, string value) =>
        spec.Fields.Any(f => f.Name == name && f.Type == "number") && int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number) : JsonValue.Create(value);

    /// <summary>"Recorded: Book." when the browser came back from recording an action without the script (else empty).</summary>
    public static string Notice(HttpRequest request) =>
        All.FirstOrDefault(a => a.Name == request.Query[RecordedField].ToString()) is { } done ? $"Recorded: {done.Label}." : "";

    // The return URL with this action as its notice, replacing the one the page may already carry.
    private static string WithNotice(string returnUrl, string action)
    {
        var hash = returnUrl.IndexOf('#');
        var (url, fragment) = hash < 0 ? (returnUrl, "") : (returnUrl[..hash], returnUrl[hash..]);
        var at = url.IndexOf('?');
        var query = QueryHelpers.ParseQuery(at < 0 ? "" : url[at..])
            .Where(p => p.Key != RecordedField).SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
            .Append(new(RecordedField, action));
        return QueryHelpers.AddQueryString(at < 0 ? url : url[..at], query) + fragment;
    }

    /// <summary>
    /// Answers a posted action's form: refused without this site's anti-forgery token; else its non-empty fields are
    /// sent (<paramref name="send"/>) and the department's answer comes back as JSON (the site's script) or, without
    /// script, as a redirect to the form's return URL, or the form again with the refusal beside its fields.
    /// </summary>
    /// <param name="url">Where the form posts, when not this action's route (the refusal's page shows it again).</param>
    public static async Task<IResult> AnswerAsync(HttpContext http, IAntiforgery antiforgery, NavigationAction spec, string patientId, IEnumerable<string> fieldNames,
        string? url, Func<IReadOnlyDictionary<string, string>, Task<DepartmentAnswer>> send, CancellationToken ct)
    {
        var wantsJson = http.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);
        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (Exception e) when (e is AntiforgeryValidationException or InvalidDataException or BadHttpRequestException)
        {
            const string expired = "This form expired or was not sent from this site. Open the page again and retry.";
            return wantsJson
                ? Results.Json(new { accepted = false, errors = new Dictionary<string, string[]> { [DashboardSessions.AntiforgeryField] = [expired] } }, statusCode: 400)
                : Html.Content(Html.Page("Not recorded", $"<h1>Not recorded</h1><p role=\"alert\">{DashboardSessions.AntiforgeryField}: {expired}</p>"), 400);
        }

        var form = await http.Request.ReadFormAsync(ct);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in fieldNames)
            if (form[name].ToString().Trim() is { Length: > 0 } value) values[name] = value;
        var returnUrl = ReturnUrls.TryParse(form[ReturnUrls.Field].ToString(), out var local, out _) ? local : ReturnUrls.Home;

        var answer = await send(values);
        if (wantsJson)
            return Results.Json(new { accepted = answer.Accepted, statusAfter = answer.Accepted ? spec.StatusAfter : null, errors = answer.Errors, detail = answer.Detail },
                statusCode: answer.Accepted ? StatusCodes.Status200OK : (int)answer.Status);
        if (answer.Accepted) return Results.Redirect(All.Contains(spec) ? WithNotice(returnUrl, spec.Name) : returnUrl);
        var page = $"<h1>{Html.Encode(spec.Label)} · {Html.PatientLink(patientId)}</h1><p role=\"alert\">Not recorded: correct the fields below.</p>" +
                   Form(spec, patientId, null, spec.Name, antiforgery.GetAndStoreTokens(http), returnUrl, values, answer, url) +
                   $"<p><a href=\"{Html.Encode(returnUrl)}\">Back</a></p>";
        return Html.Content(Html.Page("Not recorded", page), (int)answer.Status);
    }
}
