using System.Net;
using System.Text.Json.Nodes;
using PatientJourney.Hosting;

namespace PatientJourney.Dashboard.Navigation;

/// <summary>What a department answered: accepted, or the fields it refused (RFC 9457 `errors`) and why.</summary>
public sealed record DepartmentAnswer(HttpStatusCode Status, IReadOnlyDictionary<string, string[]> Errors, string? Detail)
{
    public bool Accepted => (int)Status is >= 200 and < 300;

    /// <summary>Refused by the dashboard itself, before anything was sent: nothing was recorded.</summary>
    public static DepartmentAnswer Refused(HttpStatusCode status, string field, string message) =>
        new(status, new Dictionary<string, string[]> { [field] = [message] }, null);
}

/// <summary>
/// Posts to the departments with the signed-in user's own token (never one of the dashboard's): the navigation facts
/// to diagnosis, a fact's retraction or amendment to the department that recorded it. One named HttpClient a
/// department, at `{Department}:BaseUrl` (Diagnosis:BaseUrl, Chemotherapy:BaseUrl, ...).
/// </summary>
public sealed class DepartmentClients(IHttpClientFactory factory)
{
    /// <summary>The departments, as the journey names them in its entries (and in the `department:` roles).</summary>
    public static readonly IReadOnlyList<string> Departments = ["diagnosis", "chemotherapy", "interventional", "imaging"];

    public static string ClientName(string department) => "department-" + department;

    /// <summary>The setting holding the department's base URL ("Chemotherapy:BaseUrl"; `Chemotherapy__BaseUrl` in the environment).</summary>
    public static string Setting(string department) => $"{char.ToUpperInvariant(department[0])}{department[1..]}:BaseUrl";

    public async Task<DepartmentAnswer> PostAsync(string department, string path, JsonObject body, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await factory.CreateClient(ClientName(department)).PostAsJsonAsync(path, body, JsonDefaults.Options, ct);
        }
        catch (HttpRequestException)
        {
            return new(HttpStatusCode.ServiceUnavailable, new Dictionary<string, string[]>(), $"The {department} department is not answering; nothing was recorded. Retry later.");
        }
        using (response)
        {
            if (response.IsSuccessStatusCode) return new(response.StatusCode, new Dictionary<string, string[]>(), null);
            JsonObject? problem;
            try
            {
                problem = await response.Content.ReadFromJsonAsync<JsonObject>(JsonDefaults.Options, ct);
            }
            catch (System.Text.Json.JsonException)
            {
                problem = null; // not a problem document (a proxy's page): the status says enough
            }
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            if (problem?["errors"] is JsonObject named)
                foreach (var (field, messages) in named)
                    errors[field] = messages is JsonArray list ? list.Select(m => m?.ToString() ?? "").ToArray() : [messages?.ToString() ?? ""];
            var detail = (string?)problem?["detail"] ?? (string?)problem?["title"] ?? response.StatusCode switch
            {
                HttpStatusCode.Forbidden => $"Your role may not record this at the {department} department.",
                HttpStatusCode.NotFound => $"The {department} department does not know this patient.",
                _ => $"The {department} department refused this ({(int)response.StatusCode}).",
            };
            return new(response.StatusCode, errors, detail);
        }
    }
}
