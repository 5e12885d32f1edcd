using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using PatientJourney.Hosting.Security;
using PatientJourney.Contracts;
using PatientJourney.Harness;

namespace PatientJourney.Chaos;

/// <summary>
/// The checks at the end of a run. The rebuild and the hash chains go through the journey's own API (POST /admin/rebuild,
/// GET /patients/{id}/verify), as an operator would; what was stored where is counted in the stores themselves
/// (<see cref="ClinicalEventStores"/>, <see cref="ReadModelSnapshot"/>): no API lists a department's stored events, and
/// a fact stored twice or a read model a byte off is only seen in the rows.
/// </summary>
public sealed class JourneyChecks(ProcessDeployment deployment, Uri journey)
{
    /// <summary>Until the journey holds as many events as the four departments together (and a little longer, to see it stays so).</summary>
    public async Task WaitForDeliveryAsync(TimeSpan deadline, CancellationToken ct)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            var source = await CountAsync(Departments.All, ct);
            var delivered = await CountAsync([ClinicalEventStores.JourneySchema], ct);
            if (delivered >= source) return;
            if (DateTime.UtcNow > until) return; // the counts at the end will say what is missing
            await Task.Delay(500, ct);
        }
    }

    public async Task<(int Delivered, int Duplicates, int Lost, int Unexpected)> CountAsync(IReadOnlySet<Guid> accepted, CancellationToken ct)
    {
        var departmentEvents = new List<Guid>();
        foreach (var department in Departments.All) departmentEvents.AddRange(await ClinicalEventStores.IdsAsync(deployment.ConnectionString, department, ct));
        var journeyEvents = await ClinicalEventStores.IdsAsync(deployment.ConnectionString, ClinicalEventStores.JourneySchema, ct);
        var journeySet = journeyEvents.ToHashSet();
        var delivered = accepted.Count(journeySet.Contains);
        // A fact twice: in a department (a retried request recorded again) or in the journey (a redelivery appended again).
        var duplicates = (departmentEvents.Count - accepted.Count) + (journeyEvents.Count - journeySet.Count);
        var unexpected = journeySet.Count(id => !accepted.Contains(id));
        return (delivered, Math.Max(0, duplicates), accepted.Count - delivered, unexpected);
    }

    /// <summary>
    /// Snapshot of the live read models, a full rebuild by the journey (its admin API), and the snapshot again; and every
    /// patient's hash chain rechecked by the journey (its audit API).
    /// </summary>
    public async Task<(int Patients, bool Equal, int ChainsAltered)> CompareWithRebuildAsync(CancellationToken ct)
    {
        NpgsqlConnection.ClearAllPools();
        var live = await ReadModelSnapshot.TakeAsync(deployment.ConnectionString);
        int rebuiltPatients;
        using (var admin = AuthenticatedClient.Create(journey, deployment.Token("chaos", Roles.Admin), TimeSpan.FromMinutes(30)))
        using (var rebuild = await admin.PostAsync("/admin/rebuild", null, ct))
        {
            rebuild.EnsureSuccessStatusCode();
            rebuiltPatients = (int)(await rebuild.Content.ReadFromJsonAsync<JsonObject>(ct))!["total"]!;
        }
        var rebuilt = await ReadModelSnapshot.TakeAsync(deployment.ConnectionString);

        using var auditor = AuthenticatedClient.Create(journey, deployment.Token("chaos", Roles.Auditor), TimeSpan.FromMinutes(1));
        var patients = (await auditor.GetFromJsonAsync<JsonArray>("/patients", ct))!.Select(p => (string)p!["patientId"]!).ToList();
        var altered = 0;
        foreach (var id in patients)
        {
            using var response = await auditor.GetAsync($"/patients/{Uri.EscapeDataString(id)}/verify", ct);
            if (response.StatusCode == HttpStatusCode.NotFound) continue; // no events: nothing to alter
            response.EnsureSuccessStatusCode();
            if (!(bool)(await response.Content.ReadFromJsonAsync<JsonObject>(ct))!["intact"]!) altered++;
        }
        if (live != rebuilt)
        {
            // Kept beside the services' logs, so that a failed run shows which read model of which patient differs.
            await File.WriteAllTextAsync(Path.Combine(deployment.LogDirectory, "read-models-live.txt"), live, ct);
            await File.WriteAllTextAsync(Path.Combine(deployment.LogDirectory, "read-models-rebuilt.txt"), rebuilt, ct);
        }
        return (rebuiltPatients, live == rebuilt, altered);
    }

    /// <summary>The stores just after PostgreSQL restarted may refuse a connection or two: asked again.</summary>
    private async Task<long> CountAsync(IEnumerable<string> schemas, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ClinicalEventStores.CountAsync(deployment.ConnectionString, schemas, ct);
            }
            catch (NpgsqlException) when (attempt < 20)
            {
                await Task.Delay(500, ct);
            }
        }
    }
}
