using System.Globalization;
using System.Text;
using System.Net;
using PatientJourney.Hosting.Security;
using PatientJourney.Dashboard.Corrections;
using PatientJourney.Dashboard.Navigation;
using PatientJourney.Dashboard.SigningIn;

namespace PatientJourney.Dashboard.Patients;

/// <summary>
/// One patient: the flags first, a lane per department in clinical order, the surveillance schedule, the cumulative
/// doxorubicin against its limits and the latest response. The page follows the journey live: when the journey
/// stores an event for her, the page fetches itself again and swaps its content in place (no reload).
/// </summary>
public static class PatientPage
{
    private static readonly string[] Lanes = ["diagnosis", "chemotherapy", "interventional", "imaging"];

    // A response the journey derived from a scan is read beside the scan.
    private static string LaneOf(EntryRow e) => e.Assesses is null ? e.Department : "imaging";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/patients/{patientId}", RenderAsync).RequireAuthorization(Policies.ReadJourney).ExcludeFromDescription();
        app.MapGet("/patients/{patientId}/live", RelayChangesAsync).RequireAuthorization(Policies.ReadJourney).ExcludeFromDescription();
    }

    private static async Task<IResult> RenderAsync(string patientId, string? asOf, System.Security.Claims.ClaimsPrincipal user, HttpContext http, JourneyClient journey, TimeProvider clock, CancellationToken ct)
    {
        // As of a date, the whole page shows what had happened by then: responses, doses, alerts and the schedule.
        DateOnly? chosen = DateOnly.TryParseExact(asOf, "yyyy-MM-dd", out var parsed) ? parsed : null;
        var day = chosen ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        JourneyView? view;
        ScheduleView? schedule = null;
        MeasurementsView? measurements = null;
        try
        {
            view = await journey.JourneyAsync(patientId, chosen, ct);
            if (view is not null)
            {
                schedule = await journey.ScheduleAsync(patientId, day, ct);
                measurements = await journey.MeasurementsAsync(patientId, chosen, ct);
            }
        }
        catch (MergedRecordException merged)
        {
            return Results.Redirect($"/patients/{Uri.EscapeDataString(merged.Survivor)}{http.Request.QueryString}");
        }
        catch (HttpRequestException)
        {
            return Html.Content(Html.Page(patientId, "<p role=\"alert\">The journey service is not answering; this page will be back when it is.</p>"), 503);
        }
        if (view is null) return Html.Content(Html.Page(patientId, $"<h1>{Html.Encode(patientId)}</h1><p>No such patient in the journey.</p>"), 404);

        var body = new StringBuilder();
        body.Append($"<h1>{Html.Encode(view.PatientId)}</h1>")
            .Append($"<form class=\"filters\" method=\"get\"><label>As of<br><input type=\"date\" name=\"asOf\" id=\"asOf\" value=\"{day:yyyy-MM-dd}\"></label><button type=\"submit\">Show</button></form>");
        if (chosen is not null) body.Append($"<p data-as-of=\"{day:yyyy-MM-dd}\">Everything on this page as of {Html.Date(day)}: facts dated later are left out.</p>");
        if (user.IsInRole(Roles.Auditor)) body.Append($"<p><a href=\"/patients/{Uri.EscapeDataString(view.PatientId)}/audit\">Audit: every event and what was known when</a></p>");
        body.Append("<section aria-labelledby=\"flags\"><h2 id=\"flags\">Alerts</h2>");
        if (view.Flags.Count == 0) body.Append("<p>None.</p>");
        foreach (var flag in view.Flags)
            body.Append($"<div class=\"alert{(flag.Severity == "warning" ? " warning" : "")}\" role=\"alert\" data-flag=\"{Html.Encode(flag.Code)}\">{Html.Encode(flag.Message)}</div>");
        body.Append("</section>");

        if (view.LatestResponse is { } response)
            body.Append($"<p data-response=\"{Html.Encode(response.Category)}\">Latest response (RECIST 1.1): <strong>{Html.Encode(response.Category)}</strong>{(response.Category == "NE" ? " (not evaluable)" : "")} on {Html.Date(response.AssessedOn)}")
                .Append(response.ChangeFromBaselinePercent is { } change ? $" ({change.ToString("+0.#;-0.#;0", CultureInfo.InvariantCulture)}% from baseline)</p>" : "</p>");

        body.Append("<h2>Journey</h2>").Append(Charts.Timeline("timeline", "Every event by clinical date, one row per department",
            Lanes.Select(lane => (lane, (IReadOnlyList<(DateOnly, string)>)view.Entries.Where(e => LaneOf(e) == lane).Select(e => (e.OccurredOn, CorrectionText.Label(e))).ToList())).ToList()));
        // A department user corrects her department's standing facts here (FactCorrections); nobody else sees a form.
        var correcting = FactCorrections.MayCorrectAny(user);
        var tokens = correcting || NavigationActions.MayAct(user)
            ? http.RequestServices.GetRequiredService<Microsoft.AspNetCore.Antiforgery.IAntiforgery>().GetAndStoreTokens(http) : null;
        var here = http.Request.Path + http.Request.QueryString;
        var byId = view.Entries.ToDictionary(e => e.EventId);
        body.Append("<div class=\"lanes\">");
        foreach (var lane in Lanes)
        {
            var entries = view.Entries.Where(e => LaneOf(e) == lane).OrderBy(e => e.OccurredOn).ToList();
            body.Append($"<section data-lane=\"{lane}\" aria-labelledby=\"lane-{lane}\"><h3 id=\"lane-{lane}\">{char.ToUpperInvariant(lane[0])}{lane[1..]} ({entries.Count})</h3><ol>");
            foreach (var e in entries)
                body.Append($"<li data-type=\"{Html.Encode(e.Type)}\" data-event=\"{e.EventId}\" id=\"event-{e.EventId}\"{(e.CorrectedAs is { } c ? $" data-corrected=\"{c}\"" : "")}>")
                    .Append(CorrectionText.Line(e, $"{Html.Date(e.OccurredOn)} {Html.Encode(e.Summary)}", byId))
                    .Append(correcting ? FactCorrections.Forms(user, e, view.PatientId, tokens!, here) : "").Append("</li>");
            body.Append("</ol></section>");
        }
        body.Append("</div>");

        var dox = view.CumulativeDoxorubicinMgPerM2;
        body.Append("<h2>Cumulative doxorubicin</h2>").Append(Charts.Bars("doxorubicin",
            $"Cumulative doxorubicin: systemic {dox.Systemic:0}, locoregional {(dox.Locoregional is { } l ? $"{l:0}" : "not computable (no body surface area)")}, total {dox.Total:0} mg/m2, against 300, 450 and 550 mg/m2",
            "mg/m2", [("systemic", dox.Systemic), ("locoregional", dox.Locoregional), ("total", dox.Total)], 300, 450, 550));
        // Other anthracyclines only where there are some: the thresholds then read the doxorubicin-equivalent total.
        if (dox.DoxorubicinEquivalent is { } eq && eq.Total != dox.Total)
            body.Append(Charts.Bars("doxorubicin-equivalent",
                $"Every anthracycline as doxorubicin-equivalent: systemic {eq.Systemic:0}, locoregional {(eq.Locoregional is { } el ? $"{el:0}" : "not computable (no body surface area)")}, total {eq.Total:0} mg/m2, against 300, 450 and 550 mg/m2",
                "mg/m2", [("systemic", eq.Systemic), ("locoregional", eq.Locoregional), ("equivalent", eq.Total)], 300, 450, 550));
        if (dox.LiposomalDoxorubicin > 0)
            body.Append($"<p id=\"liposomal-doxorubicin\">Pegylated liposomal doxorubicin: {dox.LiposomalDoxorubicin:0} mg/m2 (its own line, in no doxorubicin total)</p>");

        if (measurements is not null)
        {
            body.Append("<h2>Tumour burden</h2>").Append(Charts.Line("tumour-burden", "Sum of target-lesion diameters per CT, with its RECIST 1.1 category", "mm",
                [new ChartSeries("sum of diameters", measurements.TumourBurden.Select(p => new ChartPoint(p.PerformedOn, p.SumOfDiametersMm, p.Category)).ToList())]));
            body.Append("<h2>SUVmax per lesion</h2>").Append(Charts.Line("suv-max", "SUVmax of each lesion per PET/CT", "SUV",
                measurements.SuvMax.GroupBy(p => p.LesionId).Select(g => new ChartSeries(g.Key,
                    g.Select(p => new ChartPoint(p.PerformedOn, p.SuvMax, p.Resolved ? "resolved" : null, p.Resolved)).ToList())).ToList()));
        }

        body.Append($"<h2>Surveillance as of {Html.Date(day)}</h2>");
        if (schedule is null || schedule.Items.Count == 0) body.Append("<p>No surveillance plan.</p>");
        else body.Append(SurveillanceSchedule.Table(schedule.Protocol ?? "", schedule.Items, schedule));
        if (schedule is not null) body.Append(SurveillanceSchedule.Overrides(schedule));
        body.Append(CardiacLane.Render(schedule, measurements));

        // Live: the journey's server-sent events, relayed by this dashboard with the user's own token (Assets.LiveScript).
        if (NavigationActions.MayAct(user))
        {
            // Recorded at the diagnosis department; the page shows the result when the journey has it (live, below).
            body.Append("<section aria-labelledby=\"actions\" id=\"navigation-actions\" data-actions><h2 id=\"actions\">Actions</h2>")
                .Append(string.Concat(NavigationActions.All.Select(a => NavigationActions.Form(a, view.PatientId, null, $"patient-{a.Name}", tokens!, here))))
                .Append($"<p role=\"status\" data-recorded>{Html.Encode(NavigationActions.Notice(http.Request))}</p></section>");
        }
        var script = Html.Script(Assets.LiveScriptPath, "live", $"/patients/{Uri.EscapeDataString(view.PatientId)}/live");
        if (tokens is not null) script += Html.Script(Assets.ActionsScriptPath, "actions", "in-place");
        return Html.Content(Html.Page(view.PatientId, body.ToString(), script));
    }

    /// <summary>
    /// The journey's events for the patient, passed on until the page closes or the user's token expires: the relay
    /// never outlives the token it reads with. At expiry it sends an `expired` event and ends.
    /// </summary>
    private static readonly TimeSpan ExpirySlack = TimeSpan.FromSeconds(1);

    // A blank line first: the expiry may have cut an upstream event in half.
    private static async Task SayExpiredAsync(HttpContext http, CancellationToken ct)
    {
        await http.Response.WriteAsync("\n\nevent: expired\ndata: the sign-in expired\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
    }

    private static async Task RelayChangesAsync(string patientId, HttpContext http, JourneyClient journey, TimeProvider clock, CancellationToken ct)
    {
        var expiresAt = await TokenLifetime.ExpiresAtAsync(http) ?? clock.GetUtcNow();
        var remaining = expiresAt - clock.GetUtcNow();
        if (remaining <= TimeSpan.Zero)
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized; // an EventSource does not reconnect after a 401
            return;
        }
        using var expiry = new CancellationTokenSource(TimeSpan.FromMilliseconds(Math.Min(remaining.TotalMilliseconds, int.MaxValue)), clock);
        using var relay = CancellationTokenSource.CreateLinkedTokenSource(ct, expiry.Token);
        HttpResponseMessage upstream;
        try
        {
            upstream = await journey.ChangesAsync(patientId, relay.Token);
        }
        catch (HttpRequestException refused)
        {
            http.Response.StatusCode = refused.StatusCode switch
            {
                HttpStatusCode.BadRequest or HttpStatusCode.NotFound => StatusCodes.Status404NotFound,
                HttpStatusCode.Unauthorized => StatusCodes.Status401Unauthorized,
                HttpStatusCode.Forbidden => StatusCodes.Status403Forbidden,
                _ => StatusCodes.Status503ServiceUnavailable,
            };
            return;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            http.Response.StatusCode = expiry.IsCancellationRequested ? StatusCodes.Status401Unauthorized : StatusCodes.Status503ServiceUnavailable;
            return;
        }
        catch (OperationCanceledException)
        {
            return; // the page was closed
        }

        using (upstream)
        {
            http.Response.ContentType = "text/event-stream";
            try
            {
                await using var events = await upstream.Content.ReadAsStreamAsync(relay.Token);
                var buffer = new byte[4096];
                int read;
                while ((read = await events.ReadAsync(buffer, relay.Token)) > 0)
                {
                    await http.Response.Body.WriteAsync(buffer.AsMemory(0, read), relay.Token);
                    await http.Response.Body.FlushAsync(relay.Token);
                }
                // The journey ends its stream at the same token's expiry, and may do so a moment before the timer here.
                if (clock.GetUtcNow() >= expiresAt - ExpirySlack) await SayExpiredAsync(http, ct);
            }
            catch (OperationCanceledException) when (expiry.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                await SayExpiredAsync(http, ct);
            }
            catch (OperationCanceledException) { /* the page was closed */ }
            catch (IOException) { /* the journey closed the stream (restart): the browser reconnects */ }
            catch (HttpRequestException) { /* likewise */ }
        }
    }
}
