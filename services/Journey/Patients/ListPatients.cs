using Marten;
using Microsoft.OpenApi;
using PatientJourney.Hosting.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using PatientJourney.Journey.PatientJourneys;
using PatientJourney.Journey.Reading;
using PatientJourney.Journey.Surveillance;
using static PatientJourney.Journey.Reading.QueryParameters;

namespace PatientJourney.Journey.Patients;

public sealed record NextDue(string Kind, DateOnly DueOn);
public sealed record PatientListItem(string PatientId, string? DisplayName, bool Registered, NextDue? NextDue, int OverdueCount);

/// <summary>GET /patients: every patient with the next item due and how many are overdue today, from the stored views.</summary>
public static class ListPatients
{
    public static RouteHandlerBuilder MapListPatients(this IEndpointRouteBuilder read) =>
        read.MapGet("/patients", Handle).WithName("ListPatients")
            .WithResponseHeader(StatusCodes.Status200OK, "X-Total-Count", JsonSchemaType.Integer, "How many patients in all, when limit or offset asked for a page.");

    /// <summary>Patients by id; with limit (and offset) one page of them, the total in X-Total-Count.</summary>
    private static async Task<Results<Ok<List<PatientListItem>>, ValidationProblem>> Handle(
        int? limit, int? offset, HttpResponse response, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit) return BadQuery("limit", $"must be between 1 and {MaxLimit}");
        if (offset is < 0) return BadQuery("offset", "must not be negative");
        var today = Today(clock);
        IQueryable<PatientJourneyView> query = session.Query<PatientJourneyView>().OrderBy(v => v.Id);
        if (limit is not null || offset is not null)
        {
            response.Headers["X-Total-Count"] = (await session.Query<PatientJourneyView>().CountAsync(ct)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            query = query.Skip(offset ?? 0).Take(limit ?? MaxLimit);
        }
        var views = await query.ToListAsync(ct);
        var list = new List<PatientListItem>(views.Count);
        foreach (var view in views)
        {
            var items = await ScheduleAsOf(session, view, today, ct);
            var open = items.Where(i => i.IsOpen && !i.Suspended).OrderBy(i => i.DueOn).ToList();
            list.Add(new PatientListItem(view.Id, view.DisplayName, view.Registered,
                open.FirstOrDefault() is { } next ? new NextDue(next.Kind, next.DueOn) : null,
                open.Count(i => i.StatusOn(today) == ItemStatus.Overdue)));
        }
        return TypedResults.Ok(list);
    }

    /// <summary>The stored schedule holds for any day on or after the patient's last event; an earlier day is recomputed from the stream.</summary>
    private static async Task<IReadOnlyList<ScheduledItem>> ScheduleAsOf(IQuerySession session, PatientJourneyView view, DateOnly day, CancellationToken ct) =>
        day >= view.LatestOccurredOn
            ? view.Schedule.Items
            : SurveillanceEngine.Compute(await PatientEvents.ReadAsync(session, view.Id, ct), day).Items;
}
