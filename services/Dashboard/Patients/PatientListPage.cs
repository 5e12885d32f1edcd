using System.Net;
using System.Text;
using PatientJourney.BuildingBlocks.Security;

namespace PatientJourney.Dashboard.Patients;

/// <summary>The first page: every patient with the next surveillance item due and how many are overdue.</summary>
public static class PatientListPage
{
    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/patients", RenderAsync).RequireAuthorization(Policies.ReadJourney).ExcludeFromDescription();

    private static async Task<IResult> RenderAsync(JourneyClient journey, CancellationToken ct)
    {
        IReadOnlyList<PatientRow> patients;
        try
        {
            patients = await journey.PatientsAsync(ct);
        }
        catch (HttpRequestException)
        {
            return Results.Content(Page("<p role=\"alert\">The journey service is not answering; the list will be back when it is.</p>"),
                "text/html; charset=utf-8", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var rows = new StringBuilder();
        foreach (var p in patients.OrderByDescending(p => p.OverdueCount).ThenBy(p => p.NextDue?.DueOn ?? DateOnly.MaxValue))
        {
            rows.Append("<tr>")
                .Append("<td>").Append(Html.PatientLink(p.PatientId)).Append("</td>")
                .Append("<td>").Append(Encode(p.DisplayName ?? "")).Append(p.Registered ? "" : " <em>(not registered yet)</em>").Append("</td>")
                .Append("<td>").Append(p.NextDue is { } next ? $"{Encode(next.Kind)} on <time datetime=\"{next.DueOn:yyyy-MM-dd}\">{next.DueOn:yyyy-MM-dd}</time>" : "none").Append("</td>")
                .Append(p.OverdueCount > 0 ? "<td class=\"overdue\">" : "<td>").Append(p.OverdueCount).Append("</td>")
                .Append("</tr>");
        }

        var body = patients.Count == 0
            ? "<p>No patient has reached the journey yet.</p>"
            : $"""
               <table>
                 <caption>{patients.Count} patient(s), most overdue first</caption>
                 <thead><tr><th scope="col">Patient</th><th scope="col">Name</th><th scope="col">Next due</th><th scope="col">Overdue</th></tr></thead>
                 <tbody>{rows}</tbody>
               </table>
               """;
        return Results.Content(Page(body), "text/html; charset=utf-8");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Page(string body) => Html.Page("Patients", body);
}
