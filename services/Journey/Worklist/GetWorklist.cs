using Marten;
using Microsoft.OpenApi;
using PatientJourney.Hosting.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Hosting.Security;
using PatientJourney.Journey.Catalogue;
using PatientJourney.Journey.PatientJourneys;
using PatientJourney.Journey.Reading;
using PatientJourney.Journey.Surveillance;
using static PatientJourney.Journey.Reading.QueryParameters;
using PatientJourney.Journey.Merging;

namespace PatientJourney.Journey.Worklist;

public sealed record WorklistItem(string PatientId, string? DisplayName, string Kind, DateOnly DueOn, string Status, DateOnly? ScheduledOn = null, DateOnly? DeferredUntil = null);

/// <summary>GET /worklist and GET /worklist.csv: open items across patients, from the worklist index, or recomputed for an audit question.</summary>
public static class GetWorklist
{
    public static IEndpointRouteBuilder MapGetWorklist(this IEndpointRouteBuilder read)
    {
        read.MapGet("/worklist", Handle).WithName("GetWorklist")
            .WithResponseHeader(StatusCodes.Status200OK, "X-Total-Count", JsonSchemaType.Integer, "How many open items match in all (the page holds at most limit).")
            .WithResponseHeader(StatusCodes.Status200OK, "X-Status-Counts", JsonSchemaType.String, "How many match per status: `overdue=12, due=3`.");
        read.MapGet("/worklist.csv", HandleCsv).WithName("GetWorklistCsv")
            .Produces<string>(StatusCodes.Status200OK, WorklistCsv.ContentType)
            .WithResponseHeader(StatusCodes.Status200OK, "X-Total-Count", JsonSchemaType.Integer, "How many open items match in all (the file holds at most limit).")
            .WithResponseHeader(StatusCodes.Status200OK, "X-Status-Counts", JsonSchemaType.String, "How many match per status: `overdue=12, due=3`.");
        return read;
    }

    private static readonly IReadOnlyList<string> DefaultWorklistStatuses = ItemStatus.Open;

    public const int DefaultWorklistLimit = 500;
    private const int MinGraceDays = 7, MaxGraceDays = 14;

    /// <summary>The navigator filter's word for the caller: their own patients.</summary>
    public const string Mine = "mine";

    private static async Task<Results<Ok<List<WorklistItem>>, ValidationProblem>> Handle(
        string? asOf, string? status, string? navigator, int? limit, int? offset, string? asKnownAt, HttpContext http, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var (rows, problem) = await ListAsync(asOf, status, navigator, limit, offset, asKnownAt, http, session, clock, ct);
        return problem ?? (Results<Ok<List<WorklistItem>>, ValidationProblem>)TypedResults.Ok(rows);
    }

    /// <summary>The same rows as the JSON worklist, as RFC 4180 CSV for meetings.</summary>
    private static async Task<Results<ContentHttpResult, ValidationProblem>> HandleCsv(
        string? asOf, string? status, string? navigator, int? limit, int? offset, string? asKnownAt, HttpContext http, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var (rows, problem) = await ListAsync(asOf, status, navigator, limit, offset, asKnownAt, http, session, clock, ct);
        return problem ?? (Results<ContentHttpResult, ValidationProblem>)TypedResults.Text(WorklistCsv.Write(rows), WorklistCsv.ContentType);
    }

    /// <summary>
    /// Open items across patients, most urgent first, from the worklist index. A patient whose latest event is
    /// after asOf is not in the index for that day: the few such patients are recomputed from their streams.
    /// </summary>
    private static async Task<(List<WorklistItem> Rows, ValidationProblem? Problem)> ListAsync(
        string? asOf, string? status, string? navigator, int? limit, int? offset, string? asKnownAt, HttpContext http, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var response = http.Response;
        if (!TryParseKnownAt(asKnownAt, out var knownAt)) return ([], BadQuery("asKnownAt", "must be a UTC date-time (ISO 8601)"));
        if (!TryParseDate(asOf, Today(clock), out var day)) return ([], BadQuery("asOf", "must be a date (YYYY-MM-DD)"));
        var statuses = string.IsNullOrWhiteSpace(status) ? DefaultWorklistStatuses
            : status.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (statuses.FirstOrDefault(s => !DefaultWorklistStatuses.Contains(s)) is { } unknown)
            return ([], BadQuery("status", $"'{unknown}' is not one of {string.Join(", ", DefaultWorklistStatuses)} (the worklist lists open items)"));
        if (limit is < 1 or > MaxLimit) return ([], BadQuery("limit", $"must be between 1 and {MaxLimit}"));
        if (offset is < 0) return ([], BadQuery("offset", "must not be negative"));
        if (navigator is { Length: 0 or > ClinicalLimits.RecordedBy }) return ([], BadQuery("navigator", $"must be a user's sub (1 to {ClinicalLimits.RecordedBy} characters) or '{Mine}'"));
        var who = navigator == Mine ? http.User.Subject() : navigator;
        var take = (offset ?? 0) + (limit ?? DefaultWorklistLimit);

        var rows = new List<WorklistItem>();
        void AddComputed(string patientId, string? name, IReadOnlyList<ClinicalEvent> events, Dictionary<string, int>? counts)
        {
            // The navigator as of the day: the latest NavigatorAssigned that had occurred by then.
            if (who is not null && JourneyProjection.NavigatorOf(ClinicalOrder.Sort(Corrections.Standing(events).Where(e => e.OccurredOn <= day))) != who) return;
            foreach (var item in SurveillanceEngine.Compute(events, day).Items.Where(i => i.IsOpen))
            {
                var s = item.StatusOn(day);
                if (!statuses.Contains(s)) continue;
                rows.Add(new WorklistItem(patientId, name, item.Kind, item.DueOn, s, item.ScheduledOn, item.DeferredUntil));
                if (counts is not null) counts[s] = counts.GetValueOrDefault(s) + 1;
            }
        }
        if (asKnownAt is not null)
        {
            // An audit question ("what did the worklist show then?"): every patient is recomputed from the events
            // recorded by then; slower than the index, and exact.
            foreach (var view in await session.Query<PatientJourneyView>().ToListAsync(ct))
            {
                var known = await PatientEvents.ReadAsync(session, view.Id, ct, knownAt);
                AddComputed(view.Id, MergedRecords.RegistrationOf(known, view.Id)?.DisplayName, known, null);
            }
            Count(response, statuses.Distinct().ToDictionary(s => s, s => rows.Count(r => r.Status == s)));
            return (Page(rows, offset, limit), null);
        }
        int d = day.DayNumber, overdueBefore = d - MinGraceDays, dueFrom = d - MaxGraceDays, dueTo = d + MaxGraceDays, upcomingAfter = d + MinGraceDays;
        var listedInFull = new Dictionary<string, int>();
        var valid = session.Query<WorklistEntry>().Where(e => e.ValidFromDay <= d);
        if (who is not null) valid = valid.Where(e => e.Navigator == who);
        // Most urgent first: the page is ordered by urgency, so once it is full no less urgent row can be on it.
        foreach (var s in statuses.Distinct().OrderBy(ItemStatus.Urgency))
        {
            var wanted = take - rows.Count;
            if (wanted <= 0) break;
            // Each status is also bounded on the day the item falls due (grace is 7 to 14 days), so the query is a range
            // scan of that index in the order it returns rows, not a walk past every overdue row to find the due ones.
            // The same conditions as WorklistCounts counts by, and as ScheduledItem.StatusOn decides.
            var entries = await Matching(s).OrderBy(e => e.DueOnDay).ThenBy(e => e.PatientId).Take(wanted).ToListAsync(ct);
            if (entries.Count < wanted) listedInFull[s] = entries.Count;
            rows.AddRange(entries.Select(e => new WorklistItem(e.PatientId, e.DisplayName, e.Kind, e.DueOn, s, e.ScheduledOn, e.DeferredUntil)));
        }
        IQueryable<WorklistEntry> Matching(string s) => s switch
            {
                ItemStatus.Overdue => valid.Where(e => !e.Suspended && !e.Booked && e.DueOnDay < overdueBefore && e.DueUntilDay < d),
                ItemStatus.Due => valid.Where(e => !e.Suspended && !e.Booked && e.DueOnDay >= dueFrom && e.DueOnDay <= dueTo && e.DueFromDay <= d && e.DueUntilDay >= d),
                ItemStatus.Upcoming => valid.Where(e => !e.Suspended && !e.Booked && !e.Deferred && e.DueOnDay > upcomingAfter && e.DueFromDay > d),
                ItemStatus.Booked => valid.Where(e => e.Booked && e.DueUntilDay >= d),
                ItemStatus.Missed => valid.Where(e => e.Booked && e.DueUntilDay < d),
                ItemStatus.Deferred => valid.Where(e => e.Deferred && e.DueFromDay > d),
                _ => valid.Where(e => e.Suspended),
            };
        // A status cut short by the page is counted from the kept per-key totals: one small query, however many are open.
        // The totals are not kept per navigator: a navigator's own items are few, and counted where they are.
        var counts = listedInFull;
        if (!statuses.All(listedInFull.ContainsKey))
        {
            counts = [];
            var totals = who is null ? await WorklistCounts.AsOfAsync(session.DocumentStore, day, ct) : null;
            foreach (var s in statuses.Distinct())
                counts[s] = totals is not null ? (int)totals.Of(s) : await Matching(s).CountAsync(ct);
        }

        var later = await session.Query<PatientJourneyView>().Where(v => v.LatestOccurredOnDay > d).ToListAsync(ct);
        foreach (var view in later)
            AddComputed(view.Id, view.DisplayName, await PatientEvents.ReadAsync(session, view.Id, ct), counts);

        Count(response, counts);
        return (Page(rows, offset, limit), null);
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
}
