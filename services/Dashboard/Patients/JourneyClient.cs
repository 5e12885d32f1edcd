using System.Net.Http.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PatientJourney.BuildingBlocks;

namespace PatientJourney.Dashboard.Patients;

public sealed record NextDue(string Kind, DateOnly DueOn);
public sealed record PatientRow(string PatientId, string? DisplayName, bool Registered, NextDue? NextDue, int OverdueCount);

/// <summary>The dashboard reads only the journey's public API, like any other client.</summary>
public sealed class JourneyClient(HttpClient http)
{
    public async Task<IReadOnlyList<PatientRow>> PatientsAsync(CancellationToken ct) =>
        await http.GetFromJsonAsync<List<PatientRow>>("/patients", JsonDefaults.Options, ct) ?? [];

    public async Task<bool> IsReadyAsync(CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync("/health/ready", ct);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}

/// <summary>The dashboard is ready when the journey answers.</summary>
public sealed class JourneyHealthCheck(JourneyClient journey) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await journey.IsReadyAsync(cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("the journey service is not ready");
}
