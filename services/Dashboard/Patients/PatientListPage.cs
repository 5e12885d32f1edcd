using System.Text;
using PatientJourney.Hosting.Security;

namespace PatientJourney.Dashboard.Patients;

/// <summary>Every patient, by id, a page of 100 at a time, with the next surveillance item due and how many are overdue.</summary>
public static class PatientListPage
{
    private const int PageSize = 100;

    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/patients", RenderAsync).RequireAuthorization(Policies.ReadJourney).ExcludeFromDescription();

    private static async Task<IResult> RenderAsync(int? page, JourneyClient journey, CancellationToken ct)
    {
        var number = Math.Clamp(page ?? 1, 1, int.MaxValue / PageSize); // a page past the last is empty, never an overflowing offset
        IReadOnlyList<PatientRow> patients;
        int total;
        try
        {
            (patients, total) = await journey.PatientsAsync((number - 1) * PageSize, PageSize, ct);
        }
        catch (HttpRequestException)
        {
            return Html.Content(Html.Page("Patients", "<p role=\"alert\">The journey service is not answering; the list will be back when it is.</p>"), 503);
        }

        var rows = new StringBuilder();
        foreach (var p in patients)
        {
            rows.Append("<tr>")
                .Append("<td>").Append(Html.PatientLink(p.PatientId)).Append("</td>")
                .Append("<td>").Append(Html.Encode(p.DisplayName)).Append(p.Registered ? "" : " <em>(not registered yet)</em>").Append("</td>")
                .Append("<td>").Append(p.NextDue is { } next ? $"{Html.Encode(next.Kind)} on {Html.Date(next.DueOn)}" : "none").Append("</td>")
                .Append(p.OverdueCount > 0 ? "<td class=\"overdue\">" : "<td>").Append(p.OverdueCount).Append("</td>")
                .Append("</tr>");
        }

        var pages = Math.Max(1, (total + PageSize - 1) / PageSize);
        var navigation = pages == 1 ? "" : $"<nav aria-label=\"Pages\">{(number > 1 ? $"<a href=\"/patients?page={number - 1}\">previous</a> " : "")}page {number} of {pages}{(number < pages ? $" <a href=\"/patients?page={number + 1}\">next</a>" : "")}</nav>";
        var body = total == 0
            ? "<h1>Patients</h1><p>No patient has reached the journey yet.</p>"
            : $"""
               <h1>Patients</h1>
               <table>
                 <caption>{total} patient(s) by id; the worklist puts the overdue first</caption>
                 <thead><tr><th scope="col">Patient</th><th scope="col">Name</th><th scope="col">Next due</th><th scope="col">Overdue</th></tr></thead>
                 <tbody>{rows}</tbody>
               </table>
               {navigation}
               """;
        return Html.Content(Html.Page("Patients", body));
    }
}
