using System.Net;
using System.Text.Json.Nodes;
using PatientJourney.Hosting;

namespace PatientJourney.Dashboard.Navigation;

/// <summary>What the diagnosis department answered: accepted, or the fields it refused (RFC 9457 `errors`) and why.</summary>
public sealed record DepartmentAnswer(HttpStatusCode Status, IReadOnlyDictionary<string, string[]> Errors, string? Detail)
{
    public bool Accepted => (int)Status is >= 200 and < 300;
}

/// <summary>Posts the navigation facts to the diagnosis department with the signed-in user's own token (never one of the dashboard's).</summary>
public sealed class DiagnosisClient(HttpClient http)
{
    public async Task<DepartmentAnswer> PostAsync(string patientId, string route, JsonObject body, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync($"/patients/{Uri.EscapeDataString(patientId)}/{route}", body, JsonDefaults.Options, ct);
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
            HttpStatusCode.Forbidden => "Your role may not record this at the diagnosis department.",
            HttpStatusCode.NotFound => "The diagnosis department does not know this patient.",
            _ => $"The diagnosis department refused this ({(int)response.StatusCode}).",
        };
        return new(response.StatusCode, errors, detail);
    }
}
