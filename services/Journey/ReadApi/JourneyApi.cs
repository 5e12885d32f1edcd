using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Serialization;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using PatientJourney.BuildingBlocks;
using PatientJourney.BuildingBlocks.EventStore;
using PatientJourney.BuildingBlocks.Http;
using PatientJourney.BuildingBlocks.Security;
using PatientJourney.Contracts;
using PatientJourney.Journey.Projections;
using PatientJourney.Journey.Audit;
using PatientJourney.Journey.Surveillance;

namespace PatientJourney.Journey.ReadApi;

public sealed record NextDue(string Kind, DateOnly DueOn);
public sealed record PatientListItem(string PatientId, string? DisplayName, bool Registered, NextDue? NextDue, int OverdueCount);
public sealed record JourneyResponse(
    string PatientId, bool Registered, IReadOnlyList<JourneyEntry> Entries, CumulativeDoxorubicin CumulativeDoxorubicinMgPerM2,
    LatestResponse? LatestResponse, IReadOnlyList<JourneyFlag> Flags);
public sealed record SurveillanceItemResponse(string Kind, DateOnly DueOn, string Status, DateOnly? CompletedOn, Guid? CompletedByEventId);
public sealed record SurveillanceResponse(string PatientId, DateOnly AsOf, string? Protocol, DateOnly? StartsOn, IReadOnlyList<SurveillanceItemResponse> Items);
public sealed record WorklistItem(string PatientId, string? DisplayName, string Kind, DateOnly DueOn, string Status);

public static class JourneyApi
{
    private static readonly string[] DefaultWorklistStatuses = [ItemStatus.Overdue, ItemStatus.Due, ItemStatus.Upcoming, ItemStatus.Suspended];

    public static void Map(IEndpointRouteBuilder app)
    {
        // Clinicians read the present; what was known at an earlier time is an audit question.
        var read = app.MapGroup("").WithTags("Journey").RequireAuthorization(Policies.ReadJourney).AddEndpointFilter(AsKnownAtIsForAuditors)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        read.MapGet("/patients", ListPatients).WithName("ListPatients");
        read.MapGet("/patients/{patientId}/journey", GetJourney).WithName("GetJourney");
        read.MapGet("/patients/{patientId}/surveillance", GetSurveillance).WithName("GetSurveillance");
        read.MapGet("/worklist", GetWorklist).WithName("GetWorklist");
        read.MapGet("/patients/{patientId}/measurements", GetMeasurements).WithName("GetMeasurements");
        // Server-sent events: "recorded" each time the patient's journey stores an event (the dashboard's live pages).
        // The stream ends when the caller's token expires ("expired"), as a request with it would then be refused.
        read.MapGet("/patients/{patientId}/changes", (string patientId, HttpContext http, JourneyChanges changes, CancellationToken ct) =>
            CheckPatientId(patientId) is { } invalid ? (IResult)invalid
                : TypedResults.ServerSentEvents(changes.WatchAsync(patientId, ct, TokenExpiry(http.User))))
            .WithName("WatchJourney");

        var audit = app.MapGroup("").WithTags("Audit").RequireAuthorization(Policies.Audit)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        audit.MapGet("/patients/{patientId}/events", GetEvents).WithName("GetEvents");
        audit.MapGet("/patients/{patientId}/verify", VerifyChain).WithName("VerifyChain");
        audit.MapGet("/patients/{patientId}/fhir", ExportFhir).WithName("ExportFhir").Produces(StatusCodes.Status200OK, contentType: "application/fhir+json");

        app.MapPost("/admin/rebuild", Rebuild).WithTags("Administration").WithName("RebuildReadModels").RequireAuthorization(Policies.Administer);
    }

    /// <summary>Tumour burden (sum of target diameters with its RECIST category) and SUVmax per lesion, for charts.</summary>
    private static async Task<Results<Ok<MeasurementsResponse>, ValidationProblem, ProblemHttpResult>> GetMeasurements(
        string patientId, IQuerySession session, CancellationToken ct)
    {
        if (CheckPatientId(patientId) is { } invalid) return invalid;
        var events = await ClinicalEventsAsync(session, patientId, ct);
        if (events.Count == 0) return UnknownPatient(patientId);
        return TypedResults.Ok(Measurements.From(patientId, events));
    }

    private static async ValueTask<object?> AsKnownAtIsForAuditors(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.Request.Query.ContainsKey("asKnownAt") && !context.HttpContext.User.IsInRole(Roles.Auditor)
            ? TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "asKnownAt is for auditors",
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["asKnownAt"] = ["requires the auditor role"] } })
            : await next(context);

    /// <summary>Rewrites every patient's read models from the journey's events (resumable; the service keeps consuming).</summary>
    private static async Task<Ok<RebuildProgress>> Rebuild(IDocumentStore store, CancellationToken ct)
    {
        var total = await JourneyRebuild.RebuildAllAsync(store, ct: ct);
        return TypedResults.Ok(new RebuildProgress(total, total));
    }

    /// <summary>Patients by id; with limit (and offset) one page of them, the total in X-Total-Count.</summary>
    private static async Task<Results<Ok<List<PatientListItem>>, ValidationProblem>> ListPatients(
        int? limit, int? offset, HttpResponse response, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        if (limit is < 1 or > MaxWorklistLimit) return BadQuery("limit", $"must be between 1 and {MaxWorklistLimit}");
        if (offset is < 0) return BadQuery("offset", "must not be negative");
        var today = Today(clock);
        IQueryable<PatientJourneyView> query = session.Query<PatientJourneyView>().OrderBy(v => v.Id);
        if (limit is not null || offset is not null)
        {
            response.Headers["X-Total-Count"] = (await session.Query<PatientJourneyView>().CountAsync(ct)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            query = query.Skip(offset ?? 0).Take(limit ?? MaxWorklistLimit);
        }
        var views = await query.ToListAsync(ct);
        var list = new List<PatientListItem>(views.Count);
        foreach (var view in views)
        {
            var items = await ScheduleAsOf(session, view, today, ct);
            var open = items.Where(i => i.CompletedOn is null && !i.Suspended).OrderBy(i => i.DueOn).ToList();
            list.Add(new PatientListItem(view.Id, view.DisplayName, view.Registered,
                open.FirstOrDefault() is { } next ? new NextDue(next.Kind, next.DueOn) : null,
                open.Count(i => i.StatusOn(today) == ItemStatus.Overdue)));
        }
        return TypedResults.Ok(list);
    }

    /// <summary>
    /// The journey, computed from the patient's stream (with asKnownAt, from the events recorded by then), as the
    /// schedule and measurements are: the stored view leaves the entries out, and one read of ~30 events costs less
    /// than rewriting them into the view on every append (measured in docs/benchmarks-history.md).
    /// </summary>
    private static async Task<Results<Ok<JourneyResponse>, ValidationProblem, ProblemHttpResult>> GetJourney(
        string patientId, string? asKnownAt, IQuerySession session, CancellationToken ct)
    {
        if (CheckPatientId(patientId) is { } invalid) return invalid;
        if (!TryParseKnownAt(asKnownAt, out var knownAt)) return BadQuery("asKnownAt", "must be a UTC date-time (ISO 8601)");
        var known = await ClinicalEventsAsync(session, patientId, ct, knownAt);
        if (known.Count == 0) return UnknownPatient(patientId);
        var view = JourneyProjection.Project(patientId, known, known.Count);
        return TypedResults.Ok(new JourneyResponse(view.Id, view.Registered, JourneyProjection.Entries(known), view.CumulativeDoxorubicinMgPerM2,
            view.LatestResponse, view.Flags));
    }

    private static async Task<Results<Ok<SurveillanceResponse>, ValidationProblem, ProblemHttpResult>> GetSurveillance(
        string patientId, string? asOf, string? asKnownAt, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        if (CheckPatientId(patientId) is { } invalid) return invalid;
        if (!TryParseDate(asOf, Today(clock), out var day)) return BadQuery("asOf", "must be a date (YYYY-MM-DD)");
        if (!TryParseKnownAt(asKnownAt, out var knownAt)) return BadQuery("asKnownAt", "must be a UTC date-time (ISO 8601)");
        // Clinical time (asOf) and recorded time (asKnownAt) combine: what was known then about what had happened by D.
        var events = await ClinicalEventsAsync(session, patientId, ct, knownAt);
        if (events.Count == 0) return UnknownPatient(patientId);
        var schedule = SurveillanceEngine.Compute(events, day);
        return TypedResults.Ok(new SurveillanceResponse(patientId, day, schedule.Protocol, schedule.StartsOn,
            schedule.Items.Select(i => new SurveillanceItemResponse(i.Kind, i.DueOn, i.StatusOn(day), i.CompletedOn, i.CompletedByEventId)).ToList()));
    }

    public const int DefaultWorklistLimit = 500;
    private const int MinGraceDays = 7, MaxGraceDays = 14;
    public const int MaxWorklistLimit = 5000;

    /// <summary>
    /// Open items across patients, most urgent first, from the worklist index. A patient whose latest event is
    /// after asOf is not in the index for that day: the few such patients are recomputed from their streams.
    /// </summary>
    private static async Task<Results<Ok<List<WorklistItem>>, ValidationProblem>> GetWorklist(
        string? asOf, string? status, int? limit, int? offset, string? asKnownAt, HttpResponse response, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        if (!TryParseKnownAt(asKnownAt, out var knownAt)) return BadQuery("asKnownAt", "must be a UTC date-time (ISO 8601)");
        if (!TryParseDate(asOf, Today(clock), out var day)) return BadQuery("asOf", "must be a date (YYYY-MM-DD)");
        var statuses = string.IsNullOrWhiteSpace(status) ? DefaultWorklistStatuses
            : status.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (statuses.FirstOrDefault(s => !DefaultWorklistStatuses.Contains(s)) is { } unknown)
            return BadQuery("status", $"'{unknown}' is not one of {string.Join(", ", DefaultWorklistStatuses)} (the worklist lists open items)");
        if (limit is < 1 or > MaxWorklistLimit) return BadQuery("limit", $"must be between 1 and {MaxWorklistLimit}");
        if (offset is < 0) return BadQuery("offset", "must not be negative");
        var take = (offset ?? 0) + (limit ?? DefaultWorklistLimit);

        var rows = new List<WorklistItem>();
        if (asKnownAt is not null)
        {
            // An audit question ("what did the worklist show then?"): every patient is recomputed from the events
            // recorded by then; slower than the index, and exact.
            foreach (var view in await session.Query<PatientJourneyView>().ToListAsync(ct))
            {
                var known = await ClinicalEventsAsync(session, view.Id, ct, knownAt);
                var name = known.OfType<PatientJourney.Contracts.Diagnosis.PatientRegistered>().FirstOrDefault()?.DisplayName;
                foreach (var item in SurveillanceEngine.Compute(known, day).Items)
                    if (item.CompletedOn is null && statuses.Contains(item.StatusOn(day)))
                        rows.Add(new WorklistItem(view.Id, name, item.Kind, item.DueOn, item.StatusOn(day)));
            }
            Count(response, statuses.Distinct().ToDictionary(s => s, s => rows.Count(r => r.Status == s)));
            return TypedResults.Ok(Page(rows, offset, limit));
        }
        int d = day.DayNumber, overdueBefore = d - MinGraceDays, dueFrom = d - MaxGraceDays, dueTo = d + MaxGraceDays, upcomingAfter = d + MinGraceDays;
        var listedInFull = new Dictionary<string, int>();
        // Most urgent first: the page is ordered by urgency, so once it is full no less urgent row can be on it.
        foreach (var s in statuses.Distinct().OrderBy(ItemStatus.Urgency))
        {
            var wanted = take - rows.Count;
            if (wanted <= 0) break;
            var valid = session.Query<WorklistEntry>().Where(e => e.ValidFromDay <= d);
            // Each status is also bounded on dueOn itself (grace is 7 to 14 days), so the query is a range scan of
            // the dueOn index in the order it returns rows, not a walk past every overdue row to find the due ones.
            // The same conditions as WorklistCounts counts by.
            var matching = s switch
            {
                ItemStatus.Overdue => valid.Where(e => !e.Suspended && e.DueOnDay < overdueBefore && e.DueUntilDay < d),
                ItemStatus.Due => valid.Where(e => !e.Suspended && e.DueOnDay >= dueFrom && e.DueOnDay <= dueTo && e.DueFromDay <= d && e.DueUntilDay >= d),
                ItemStatus.Upcoming => valid.Where(e => !e.Suspended && e.DueOnDay > upcomingAfter && e.DueFromDay > d),
                _ => valid.Where(e => e.Suspended),
            };
            var entries = await matching.OrderBy(e => e.DueOnDay).ThenBy(e => e.PatientId).Take(wanted).ToListAsync(ct);
            if (entries.Count < wanted) listedInFull[s] = entries.Count;
            rows.AddRange(entries.Select(e => new WorklistItem(e.PatientId, e.DisplayName, e.Kind, e.DueOn, s)));
        }
        // A status cut short by the page is counted from the kept per-key totals: one small query, however many are open.
        var counts = listedInFull;
        if (!statuses.All(listedInFull.ContainsKey))
        {
            var totals = await WorklistCounts.AsOfAsync(session.DocumentStore, day, ct);
            counts = statuses.Distinct().ToDictionary(s => s, s => (int)totals.Of(s));
        }

        var later = await session.Query<PatientJourneyView>().Where(v => v.LatestOccurredOnDay > d).ToListAsync(ct);
        foreach (var view in later)
            foreach (var item in SurveillanceEngine.Compute(await ClinicalEventsAsync(session, view.Id, ct), day).Items)
            {
                var s = item.StatusOn(day);
                if (!statuses.Contains(s)) continue;
                rows.Add(new WorklistItem(view.Id, view.DisplayName, item.Kind, item.DueOn, s));
                counts[s] = counts.GetValueOrDefault(s) + 1;
            }

        Count(response, counts);
        return TypedResults.Ok(Page(rows, offset, limit));
    }

    /// <summary>How many open items match in all (the page holds at most limit): X-Total-Count, and per status X-Status-Counts.</summary>
    private static void Count(HttpResponse response, IReadOnlyDictionary<string, int> counts)
    {
        response.Headers["X-Total-Count"] = counts.Values.Sum().ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["X-Status-Counts"] = string.Join(", ", counts.Select(c => $"{c.Key}={c.Value}"));
    }

    private static List<WorklistItem> Page(IEnumerable<WorklistItem> rows, int? offset, int? limit) => rows
        .OrderBy(r => ItemStatus.Urgency(r.Status)).ThenBy(r => r.DueOn).ThenBy(r => r.PatientId, StringComparer.Ordinal).ThenBy(r => r.Kind, StringComparer.Ordinal)
        .Skip(offset ?? 0).Take(limit ?? DefaultWorklistLimit).ToList();

    private static async Task<Results<Ok<List<JsonObject>>, ValidationProblem, ProblemHttpResult>> GetEvents(
        string patientId, string? asKnownAt, IQuerySession session, CancellationToken ct)
    {
        if (CheckPatientId(patientId) is { } invalid) return invalid;
        if (!TryParseKnownAt(asKnownAt, out var knownAt)) return BadQuery("asKnownAt", "must be a UTC date-time (ISO 8601)");
        var stream = await session.Events.FetchStreamAsync(patientId, token: ct);
        if (stream.Count == 0) return UnknownPatient(patientId);
        var known = stream.Where(e => e.Data is ClinicalEvent && e.Timestamp <= knownAt).Select(e =>
        {
            var json = JsonSerializer.SerializeToNode(e.Data, e.Data.GetType(), JsonDefaults.Options)!.AsObject();
            json["storedAt"] = e.Timestamp;
            json["journeyVersion"] = e.Version;
            return json;
        }).ToList();
        return TypedResults.Ok(known);
    }

    /// <summary>The stored schedule holds for any day on or after the patient's last event; an earlier day is recomputed from the stream.</summary>
    private static async Task<IReadOnlyList<ScheduledItem>> ScheduleAsOf(IQuerySession session, PatientJourneyView view, DateOnly day, CancellationToken ct) =>
        day >= view.LatestOccurredOn
            ? view.Schedule.Items
            : SurveillanceEngine.Compute(await ClinicalEventsAsync(session, view.Id, ct), day).Items;

    /// <summary>
    /// The patient's clinical events (those the journey had stored by <paramref name="knownAt"/>, when given); none for
    /// Marten's tombstone stream, which is no patient.
    /// </summary>
    private static async Task<IReadOnlyList<ClinicalEvent>> ClinicalEventsAsync(IQuerySession session, string patientId, CancellationToken ct,
        DateTimeOffset? knownAt = null) =>
        patientId == Tombstones.StreamId ? []
            : (await session.Events.FetchStreamAsync(patientId, token: ct)).Where(e => knownAt is null || e.Timestamp <= knownAt)
                .Select(e => e.Data).OfType<ClinicalEvent>().ToList();

    /// <summary>The token's "exp" (seconds since 1970), or null for a token without one (none is accepted).</summary>
    private static DateTimeOffset? TokenExpiry(System.Security.Claims.ClaimsPrincipal user) =>
        long.TryParse(user.FindFirst("exp")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var exp) ? DateTimeOffset.FromUnixTimeSeconds(exp) : null;

    private static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>The patient's journey as a FHIR R4 Bundle (collection), as of a clinical date.</summary>
    private static async Task<IResult> ExportFhir(string patientId, string? asOf, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        if (CheckPatientId(patientId) is { } invalid) return invalid;
        if (!TryParseDate(asOf, Today(clock), out var day)) return BadQuery("asOf", "must be a date (YYYY-MM-DD)");
        var events = await ClinicalEventsAsync(session, patientId, ct);
        if (events.Count == 0) return UnknownPatient(patientId);
        return Results.Text(PatientJourney.Journey.Fhir.FhirExport.Export(patientId, events, day).ToJson(), "application/fhir+json", System.Text.Encoding.UTF8);
    }

    /// <summary>Rechecks the patient's hash chain and names the first event whose content or position changed.</summary>
    private static async Task<Results<Ok<ChainVerification>, ValidationProblem, ProblemHttpResult>> VerifyChain(
        string patientId, IQuerySession session, CancellationToken ct)
    {
        if (CheckPatientId(patientId) is { } invalid) return invalid;
        var verification = await EventChain.VerifyAsync(session, patientId, ct);
        return verification.Events == 0 && verification.Intact ? UnknownPatient(patientId) : TypedResults.Ok(verification);
    }

    /// <summary>
    /// "Known at" is when the journey stored the event (its own clock, kept in the event's hash-chain link), never a
    /// time a sender wrote: the envelope's recordedAt is the department's word, kept as data.
    /// </summary>
    private static bool TryParseKnownAt(string? value, out DateTimeOffset knownAt)
    {
        knownAt = DateTimeOffset.MaxValue;
        return string.IsNullOrEmpty(value)
            || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out knownAt);
    }

    private static bool TryParseDate(string? value, DateOnly fallback, out DateOnly day)
    {
        day = fallback;
        return string.IsNullOrEmpty(value) || DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }

    private static ValidationProblem? CheckPatientId(string patientId)
    {
        var v = new FieldValidation();
        return v.PatientId(patientId) ? null : TypedResults.ValidationProblem(v.Errors);
    }

    private static ValidationProblem BadQuery(string field, string message) =>
        TypedResults.ValidationProblem(new FieldValidation().Add(field, message).Errors);

    private static ProblemHttpResult UnknownPatient(string patientId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "Unknown patient", detail: $"The journey has no events for patient {patientId}",
        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["patientId"] = ["unknown patient"] } });
}
