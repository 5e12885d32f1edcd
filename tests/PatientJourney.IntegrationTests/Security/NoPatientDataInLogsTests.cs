using System.Text.Json.Nodes;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Security;

public class NoPatientDataInLogsTests(VerboseLoggingSystem system) : IClassFixture<VerboseLoggingSystem>
{
    [Fact]
    public async Task Recording_the_seed_case_and_refusing_bad_requests_logs_no_patient_id_name_birth_date_or_clinical_free_text()
    {
        var seed = await system.LoadSeedCaseAsync();
        // Refusals log too: a bad request that repeats the patient's name must not echo it, nor one whose text holds a NUL
        // (PostgreSQL cannot store it: once a 500 whose log quoted the body), nor a forged batch.
        await system.PostAsync("diagnosis", "/patients", new { patientId = "LMS-0001", displayName = "Case 1", birthDate = "1963-05-20", sex = "unknown-value" });
        await system.PostAsync("diagnosis", "/patients", new { patientId = "LMS-0001", displayName = "Case 1\u0000", birthDate = "1963-05-20", sex = "female" });
        await system.PostAsync("diagnosis", "/patients/LMS-0001/diagnoses", new { occurredOn = "2010-12-14", histology = "Case 1 leiomyosarcoma\u0000" });
        using (var batch = new StringContent("""{"entries":[{"path":"/patients/LMS-0001/visits","body":{"occurredOn":"2012-02-24"},"idempotencyKey":"LMS-0001\u0000"}]}""",
                   System.Text.Encoding.UTF8, "application/json"))
            await system.Departments["diagnosis"].PostAsync("/batch", batch);

        var registration = seed.Requests.First(r => r.Path == "/patients").Body;
        var birthDate = DateOnly.Parse((string)registration["birthDate"]!);
        var forbidden = new List<string>
        {
            seed.PatientId, (string)registration["displayName"]!,
            birthDate.ToString("yyyy-MM-dd"), birthDate.ToString("dd/MM/yyyy"), birthDate.ToString("MM/dd/yyyy"), birthDate.ToString("dd.MM.yyyy"),
        };
        // Free text: every string value of the seed case that is prose (has a space), e.g. impressions and MDT decisions.
        forbidden.AddRange(seed.Requests.SelectMany(r => Strings(r.Body)).Where(s => s.Contains(' ', StringComparison.Ordinal) && s.Length > 8).Distinct());

        var lines = system.Logs.Lines.ToArray();
        Assert.True(lines.Length > 100, $"only {lines.Length} log lines: the capture is not seeing the services");
        var leaks = lines.SelectMany(line => forbidden.Where(f => line.Contains(f, StringComparison.OrdinalIgnoreCase)).Select(f => $"'{f}' in: {line}")).Take(10).ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };
}
