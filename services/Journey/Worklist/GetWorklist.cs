using Marten;
using Microsoft.OpenApi;
using PatientJourney.Hosting.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Journey.PatientJourneys;
using PatientJourney.Journey.Reading;
using PatientJourney.Journey.Surveillance;
using static PatientJourney.Journey.Reading.QueryParameters;

namespace PatientJourney.Journey.Worklist;

public sealed record WorklistItem(string PatientId, string? DisplayName, string Kind, DateOnly DueOn, string Status);

/// <summary>GET /worklist: open items across patients, from the worklist index, or recomputed for an audit question.</summary>
public static class GetWorklist
{
    public static RouteHandlerBuilder MapGetWorklist(this IEndpointRouteBuilder read) =>
        read.MapGet("/worklist", Handle).WithName("GetWorklist")
            .WithResponseHeader(StatusCodes.Status200OK, "X-Total-Count", JsonSchemaType.Integer, "How many open items match in all (the page holds at most limit).")
            .WithResponseHeader(StatusCodes.Status200OK, "X-Status-Counts", JsonSchemaType.String, "How many match per status: `overdue=12, due=3`.");

    private static readonly string[] DefaultWorklistStatuses = [ItemStatus.Overdue, ItemStatus.Due, ItemStatus.Upcoming, ItemStatus.Suspended];

    public const int DefaultWorklistLimit = 500;
    private const int MinGraceDays = 7, MaxGraceDays = 14;

    /// <summary>
    /// Open items across patients, most urgent first, from the worklist index. A patient whose latest event is
    /// after asOf is not in the index for that day: the few such patients are recomputed from their streams.
    /// </summary>
    private static async Task<Results<Ok<List<WorklistItem>>, ValidationProblem>> Handle(
        string? asOf, string? status, int? limit, int? offset, string? asKnownAt, HttpResponse response, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        if (!TryParseKnownAt(asKnownAt, out var knownAt)) return BadQuery("asKnownAt", "must be a UTC date-time (ISO 8601)");
        if (!TryParseDate(asOf, Today(clock), out var day)) return BadQuery("asOf", "must be a date (YYYY-MM-DD)");
        var statuses = string.IsNullOrWhiteSpace(status) ? DefaultWorklistStatuses
            : status.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (statuses.FirstOrDefault(s => !DefaultWorklistStatuses.Contains(s)) is { } unknown)
            return BadQuery("status", $"'{unknown}' is not one of {string.Join(", ", DefaultWorklistStatuses)} (the worklist lists open items)");
        if (limit is < 1 or > MaxLimit) return BadQuery("limit", $"must be between 1 and {MaxLimit}");
        if (offset is < 0) return BadQuery("offset", "must not be negative");
        var take = (offset ?? 0) + (limit ?? DefaultWorklistLimit);

        var rows = new List<WorklistItem>();
        if (asKnownAt is not null)
        {
            // An audit question ("what did the worklist show then?"): every patient is recomputed from the events
            // recorded by then; slower than the index, and exact.
            foreach (var view in await session.Query<PatientJourneyView>().ToListAsync(ct))
            {
                var known = await PatientEvents.ReadAsync(session, view.Id, ct, knownAt);
                var name = known.OfType<PatientRegistered>().FirstOrDefault()?.DisplayName;
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
            foreach (var item in SurveillanceEngine.Compute(await PatientEvents.ReadAsync(session, view.Id, ct), day).Items)
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
}
