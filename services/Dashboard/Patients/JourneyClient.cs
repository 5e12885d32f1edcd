using System.Net.Http.Json;
using PatientJourney.BuildingBlocks;

namespace PatientJourney.Dashboard.Patients;

public sealed record NextDue(string Kind, DateOnly DueOn);
public sealed record PatientRow(string PatientId, string? DisplayName, bool Registered, NextDue? NextDue, int OverdueCount);

/// <summary>The dashboard reads only the journey's public API, like any other client.</summary>
public sealed class JourneyClient(HttpClient http)
{
    public async Task<IReadOnlyList<PatientRow>> PatientsAsync(CancellationToken ct) =>
        await http.GetFromJsonAsync<List<PatientRow>>("/patients", JsonDefaults.Options, ct) ?? [];
}
