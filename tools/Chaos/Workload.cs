using System.Text.Json.Nodes;
using PatientJourney.Contracts;

namespace PatientJourney.Chaos;

/// <summary>One department request; every request of the workload records exactly one event.</summary>
public sealed record ChaosRequest(string Department, string Path, JsonObject Body, string IdempotencyKey);

/// <summary>
/// Synthetic patients with the seed case's shape: registration, staging PET-CT, six chemotherapy cycles, a stop,
/// TACE and RFA, a surveillance plan and monthly visits. Each patient's requests go in this order (each department
/// checks its own order: a regimen before its cycles); patients run side by side.
/// </summary>
public static class Workload
{
    public const int EventsPerPatient = 20;

    public static string PatientId(int n) => $"CHAOS-{n:D6}";

    public static IReadOnlyList<ChaosRequest> ForPatient(int n, string run)
    {
        var id = PatientId(n);
        var requests = new List<(string Department, string Path, string Body)>
        {
            (Departments.Diagnosis, "/patients", $$"""{"patientId":"{{id}}","sex":"female","birthDate":"1960-01-01","displayName":"Chaos {{n}}","occurredOn":"2010-12-06"}"""),
            (Departments.Diagnosis, $"/patients/{id}/performance-status", """{"occurredOn":"2010-12-06","ecog":1}"""),
            (Departments.Imaging, $"/patients/{id}/pet-ct", """{"performedOn":"2010-12-20","indication":"staging","lesions":[{"lesionId":"l1","site":"liver","suvMax":9.3}]}"""),
            (Departments.Chemotherapy, $"/patients/{id}/regimens", """{"regimenId":"AI-1","name":"doxorubicin + ifosfamide","startedOn":"2011-01-10","cycleLengthDays":21,"heightCm":165,"weightKg":65,"drugs":[{"drug":"doxorubicin","dosePerM2Mg":20,"days":[1,2,3],"route":"iv","purpose":"antineoplastic"}]}"""),
        };
        for (var cycle = 1; cycle <= 6; cycle++)
        {
            var started = new DateOnly(2011, 1, 10).AddDays(21 * (cycle - 1));
            requests.Add((Departments.Chemotherapy, $"/patients/{id}/regimens/AI-1/cycles",
                $$"""{"cycleNumber":{{cycle}},"startedOn":"{{started:yyyy-MM-dd}}","completedOn":"{{started.AddDays(3):yyyy-MM-dd}}"}"""));
        }
        requests.Add((Departments.Chemotherapy, $"/patients/{id}/regimens/AI-1/stop", """{"stoppedOn":"2011-05-10","reason":"switch to local therapy"}"""));
        requests.Add((Departments.Interventional, $"/patients/{id}/tace", """{"performedOn":"2011-07-12","target":"liver","drug":"doxorubicin","doseMg":150}"""));
        requests.Add((Departments.Interventional, $"/patients/{id}/rfa", """{"performedOn":"2011-10-18","target":"node","lesionSizeMm":[30,23],"ablationCycles":2,"targetTemperatureC":70,"cycleMinutes":10,"technicalSuccess":true}"""));
        requests.Add((Departments.Diagnosis, $"/patients/{id}/surveillance-plans", """{"startsOn":"2012-01-24","protocol":"ct-q3m-visits-q1m"}"""));
        for (var month = 1; month <= 6; month++)
            requests.Add((Departments.Diagnosis, $"/patients/{id}/visits", $$"""{"occurredOn":"{{new DateOnly(2012, 1, 24).AddMonths(month):yyyy-MM-dd}}","ecog":0}"""));

        return requests.Select((r, i) => new ChaosRequest(r.Department, r.Path, JsonNode.Parse(r.Body)!.AsObject(), $"chaos-{run}-{id}-{i}")).ToList();
    }
}
