using System.Globalization;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using PatientJourney.Hosting.Security;
using PatientJourney.StoreAndBus.EventStore;
using PatientJourney.Contracts;
using PatientJourney.Journey.Projections;
using PatientJourney.Journey.Surveillance;

namespace PatientJourney.Journey.ReadApi;

public sealed record NextDue(string Kind, DateOnly DueOn);
public sealed record PatientListItem(string PatientId, string? DisplayName, bool Registered, NextDue? NextDue, int OverdueCount);
public sealed record JourneyResponse(
    string PatientId, bool Registered, IReadOnlyList<JourneyEntry> Entries, CumulativeDoxorubicin CumulativeDoxorubicinMgPerM2,
    LatestResponse? LatestResponse, IReadOnlyList<JourneyFlag> Flags);
public sealed record SurveillanceItemResponse(string Kind, DateOnly DueOn, string Status, DateOnly? CompletedOn, Guid? CompletedByEventId);
public sealed record SurveillanceResponse(string PatientId, DateOnly AsOf, string? Protocol, DateOnly? StartsOn, IReadOnlyList<SurveillanceItemResponse> Items);

/// <summary>The journey's read API: the map of every route, and the patient's own queries (the worklist and the audit
/// queries each in a file of their own).</summary>
public static partial class JourneyApi
{
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
