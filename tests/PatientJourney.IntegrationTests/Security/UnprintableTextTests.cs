using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Security;

/// <summary>
/// NUL (which PostgreSQL cannot store in JSON), other control characters and unpaired surrogates, in every string field
/// of every command, alone and in batches: each is refused with 400 naming the field, never a 5xx, and a retried batch
/// records nothing twice.
/// </summary>
public class UnprintableTextTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    // As JSON escapes: how an integration engine's serializer writes them.
    private static readonly string[] Hostile = [@"\u0000", @"\u0001", @"\u001b", @"\u007f", @"\u0085", @"\ud800", @"\udc00", @"x\u0000y"];

    private const string Placeholder = "@@HOSTILE@@";

    /// <summary>Every string field of every command, each hostile value in turn: the body as JSON text.</summary>
    private static IEnumerable<(FuzzTests.Route Route, string Field, string Value, string Body)> Cases()
    {
        foreach (var route in FuzzTests.Routes)
        {
            var template = JsonNode.Parse(route.Body)!.AsObject();
            foreach (var field in StringFields(template, "").ToList())
                foreach (var value in Hostile)
                {
                    var body = JsonNode.Parse(route.Body)!.AsObject();
                    Set(body, field, Placeholder);
                    yield return (route, field, value, body.ToJsonString().Replace(Placeholder, value, StringComparison.Ordinal));
                }
        }
    }

    [Fact]
    public async Task Every_string_field_of_every_command_refuses_NUL_control_characters_and_lone_surrogates_naming_the_field()
    {
        var before = await system.DepartmentEventCountsAsync();
        var failures = new List<string>();
        var cases = Cases().ToList();
        foreach (var (route, field, value, body) in cases)
        {
            using var response = await system.Departments[route.Department].PostAsync(route.Path, new StringContent(body, Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            // Dates, codes and ids refuse such text for their own reason (not a date, not a code): still a 400 naming the field.
            if (response.StatusCode != HttpStatusCode.BadRequest || response.Content.Headers.ContentType?.MediaType != "application/problem+json"
                || JsonNode.Parse(text)!["errors"]?.AsObject().Any(e => e.Key == field || e.Key == "body") != true)
                failures.Add($"{route.Path} {field}={value} -> {(int)response.StatusCode}: {text[..Math.Min(text.Length, 300)]}");
        }

        Assert.True(cases.Count > 150, $"only {cases.Count} cases generated");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} were not refused naming the field:\n" + string.Join("\n", failures.Take(20)));
        Assert.Equal(before, await system.DepartmentEventCountsAsync());
    }

    [Fact]
    public async Task Every_string_field_in_a_batch_entry_refuses_only_its_entry_and_a_retried_batch_records_nothing_twice()
    {
        var before = await system.DepartmentEventCountsAsync();
        var failures = new List<string>();
        var batches = 0;
        foreach (var department in FuzzTests.Routes.Select(r => r.Department).Distinct())
        {
            // One batch a department: a valid entry with an Idempotency-Key first, then every hostile entry of its routes.
            var hostile = Cases().Where(c => c.Route.Department == department).ToList();
            var valid = FuzzTests.Routes.First(r => r.Department == department && !r.Path.Contains("AI-1", StringComparison.Ordinal));
            var validPath = valid.Path.Replace(FuzzTests.P, $"TEXT-{department}", StringComparison.Ordinal);
            var validBody = valid.Body.Replace("FUZZ-2", $"TEXT-{department}", StringComparison.Ordinal);
            var envelope = new StringBuilder("{\"entries\":[");
            envelope.Append($$"""{"path":"{{validPath}}","body":{{validBody}},"idempotencyKey":"text-{{department}}"}""");
            foreach (var (route, _, _, body) in hostile) envelope.Append($$""",{"path":"{{route.Path}}","body":{{body}}}""");
            envelope.Append("]}");

            JsonArray? first = null;
            for (var attempt = 0; attempt < 2; attempt++)
            {
                using var response = await system.Departments[department].PostAsync("/batch", new StringContent(envelope.ToString(), Encoding.UTF8, "application/json"));
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{department} batch -> {(int)response.StatusCode}: {text[..Math.Min(text.Length, 500)]}");
                var entries = JsonNode.Parse(text)!["entries"]!.AsArray();
                Assert.Equal(hostile.Count + 1, entries.Count);
                Assert.Equal(202, (int)entries[0]!["status"]!);
                foreach (var (entry, (route, field, value, _)) in entries.Skip(1).Zip(hostile))
                    if ((int)entry!["status"]! != 400 || entry["problem"]?["errors"]?.AsObject().Any(e => e.Key == field || e.Key == "body") != true)
                        failures.Add($"{department} batch: {route.Path} {field}={value} -> {entry.ToJsonString()[..Math.Min(entry.ToJsonString().Length, 300)]}");
                // The retry is answered with the same event: recorded once.
                if (first is null) first = entries;
                else Assert.Equal((string)first[0]!["eventId"]!, (string)entries[0]!["eventId"]!);
            }
            batches++;
        }

        Assert.Equal(4, batches);
        Assert.True(failures.Count == 0, $"{failures.Count} hostile batch entries were not refused naming the field:\n" + string.Join("\n", failures.Take(20)));
        var after = await system.DepartmentEventCountsAsync();
        Assert.All(after, c => Assert.Equal(before[c.Key] + 1, c.Value)); // each department: the one valid entry, once
    }

    [Fact]
    public async Task A_batch_envelope_with_an_unprintable_idempotency_key_or_path_is_refused_whole_and_a_percent_encoded_NUL_in_a_path_only_its_entry()
    {
        const string visit = """{"occurredOn":"2012-02-24","ecog":0}""";
        var before = await system.DepartmentEventCountsAsync();
        var refusedWhole = new[]
        {
            ("entries[1].idempotencyKey", $$"""{"entries":[{"path":"/patients/ENV-1/visits","body":{{visit}}},{"path":"/patients/ENV-1/visits","body":{{visit}},"idempotencyKey":"k\u0000"}]}"""),
            ("entries[1].idempotencyKey", $$"""{"entries":[{"path":"/patients/ENV-1/visits","body":{{visit}}},{"path":"/patients/ENV-1/visits","body":{{visit}},"idempotencyKey":"\ud800"}]}"""),
            ("entries[1].path", $$"""{"entries":[{"path":"/patients/ENV-1/visits","body":{{visit}}},{"path":"/patients/ENV\u0000/visits","body":{{visit}}}]}"""),
            ("entries[1].path", $$"""{"entries":[{"path":"/patients/ENV-1/visits","body":{{visit}}},{"path":"/patients/ENV\t1/visits","body":{{visit}}}]}"""),
        };
        foreach (var (field, envelope) in refusedWhole)
        {
            using var response = await system.Departments["diagnosis"].PostAsync("/batch", new StringContent(envelope, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey(field), field);
        }

        foreach (var path in new[] { "/patients/%00/visits", "/patients/ENV%002/visits", "/patients/%2E%2E/visits", "/patients/../visits", "/patients/./visits" })
        {
            var envelope = $$"""{"entries":[{"path":"/patients/ENV-2/visits","body":{{visit}},"idempotencyKey":"env-2"},{"path":"{{path}}","body":{{visit}}}]}""";
            using var response = await system.Departments["diagnosis"].PostAsync("/batch", new StringContent(envelope, Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} -> {(int)response.StatusCode}: {text}");
            var entries = JsonNode.Parse(text)!["entries"]!.AsArray();
            Assert.True((int)entries[1]!["status"]! is 400 or 404, $"{path}: {entries[1]!.ToJsonString()}");
        }

        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync("ENV-2") == 1, "the one valid visit in the journey");
        Assert.Equal(0, await system.JourneyEntryCountAsync("ENV-1"));
        Assert.Equal(before["diagnosis"] + 1, (await system.DepartmentEventCountsAsync())["diagnosis"]);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("...")]
    public async Task A_patient_id_of_dots_only_is_refused_everywhere_ids_are_read(string id)
    {
        using var registration = await system.PostAsync("diagnosis", "/patients", new { patientId = id, sex = "female", birthDate = "1960-01-01" });
        Assert.Equal(HttpStatusCode.BadRequest, registration.StatusCode);
        Assert.True((await registration.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("patientId"));

        var path = $"/patients/{id.Replace(".", "%2E", StringComparison.Ordinal)}/visits";
        var envelope = $$$"""{"entries":[{"path":"{{{path}}}","body":{"occurredOn":"2012-02-24"}}]}""";
        using var batch = await system.Departments["diagnosis"].PostAsync("/batch", new StringContent(envelope, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        Assert.Equal(400, (int)(await batch.Content.ReadFromJsonAsync<JsonObject>())!["entries"]![0]!["status"]!);

        // Ids with dots that are not dots only stay valid medical record numbers.
        using var dotted = await system.PostAsync("diagnosis", "/patients", new { patientId = $"A{id}B", sex = "female", birthDate = "1960-01-01" });
        Assert.Equal(HttpStatusCode.Accepted, dotted.StatusCode);
        using var list = await system.JourneyClient.GetAsync("/patients");
        Assert.DoesNotContain($"\"{id}\"", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }


    private static IEnumerable<string> StringFields(JsonNode node, string prefix)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o)
                {
                    var path = prefix.Length == 0 ? key : $"{prefix}.{key}";
                    if (child is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String) yield return path;
                    else if (child is not null) foreach (var inner in StringFields(child, path)) yield return inner;
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    var path = $"{prefix}[{i}]";
                    if (a[i] is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String) yield return path;
                    else if (a[i] is { } child) foreach (var inner in StringFields(child, path)) yield return inner;
                }
                break;
        }
    }

    private static void Set(JsonObject body, string path, string value)
    {
        JsonNode parent = body;
        var segments = path.Replace("[", ".[", StringComparison.Ordinal).Split('.');
        for (var i = 0; i < segments.Length - 1; i++) parent = Step(parent, segments[i]);
        var last = segments[^1];
        if (last.StartsWith('[')) parent[int.Parse(last[1..^1], System.Globalization.CultureInfo.InvariantCulture)] = value;
        else parent[last] = value;
    }

    private static JsonNode Step(JsonNode node, string segment) =>
        segment.StartsWith('[') ? node[int.Parse(segment[1..^1], System.Globalization.CultureInfo.InvariantCulture)]! : node[segment]!;
}
