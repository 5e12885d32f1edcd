using Microsoft.Extensions.Configuration;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PatientJourney.Harness;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Security;

/// <summary>
/// Generated bad requests on every route: each mutation makes a valid body invalid (a required field removed, a wrong
/// JSON type, a huge or negative number, a huge string, broken unicode, a NUL or control character, broken JSON), and
/// reads get bad ids and query values. The suite sends 2,000 writes and 1,000 reads to the test hosts;
/// <c>PJ_FUZZ_REQUESTS=10000 PJ_FUZZ_LIVE=1</c> sends that many to the system <c>./run.sh</c> started, over real sockets,
/// where a connection reset is a failure too (docs/reliability.md).
/// </summary>
public class FuzzTests(PatientJourneySystem system, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<PatientJourneySystem>
{
    internal const string P = "FUZZ-1";
    private static readonly int Requests = int.TryParse(Environment.GetEnvironmentVariable("PJ_FUZZ_REQUESTS"), out var n) && n > 0 ? n : 2000;
    private static readonly bool Live = Environment.GetEnvironmentVariable("PJ_FUZZ_LIVE") == "1";

    // Where ./run.sh's system listens: deployment.json.
    private static readonly IReadOnlyDictionary<string, int> LivePorts =
        Deployment.Load(Repository.Root).Services.ToDictionary(s => s.Name, s => s.Port);

    /// <summary>A client of a service: the test host's, or (PJ_FUZZ_LIVE=1) the running system's over a socket.</summary>
    private HttpClient Client(string service)
    {
        if (!Live) return service == "journey" ? system.JourneyClient : system.Departments[service];
        var client = new HttpClient { BaseAddress = new Uri($"http://localhost:{LivePorts[service]}") };
        _roles[client] = service == "journey" ? PatientJourney.Hosting.Security.Roles.Auditor : PatientJourney.Hosting.Security.Roles.Department(service);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(_roles[client]));
        return client;
    }

    private readonly Dictionary<string, HttpClient> _clients = new();

    private HttpClient ClientOf(string service) => _clients.TryGetValue(service, out var c) ? c : _clients[service] = Client(service);

    private int _sent;
    private readonly SortedDictionary<int, int> _statuses = new();

    private void Tally(string what, int count) =>
        output.WriteLine($"{what}: {count} requests, answered " + string.Join(", ", _statuses.Select(s => $"{s.Key}: {s.Value}")));
    private readonly Dictionary<HttpClient, string> _roles = new();

    /// <summary>
    /// Sends one request; a reset connection (or any failure to get an answer) is reported as status 0. Live, the
    /// requests take turns among 64 callers, each under the 200 requests/s a caller may send.
    /// </summary>
    private async Task<(int Status, string? MediaType, string Body)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        if (Live) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(_roles[client], $"fuzz-{_sent++ % 64}"));
        try
        {
            using var response = await client.SendAsync(request);
            _statuses[(int)response.StatusCode] = _statuses.GetValueOrDefault((int)response.StatusCode) + 1;
            return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException ex)
        {
            _statuses[0] = _statuses.GetValueOrDefault(0) + 1;
            return (0, null, $"no answer: {ex.Message}");
        }
    }

    // A date a booking or a deferral may name: after today, within the limit ahead.
    private static readonly string Soon = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    internal sealed record Route(string Department, string Path, string Body, string[] Required);

    /// <summary>A valid body of every department command (shared with the other generated-input tests).</summary>
    internal static readonly Route[] Routes =
    [
        new("diagnosis", "/patients", """{"patientId":"FUZZ-2","sex":"female","birthDate":"1963-05-20","displayName":"X","occurredOn":"2010-12-06"}""", ["patientId", "sex", "birthDate"]),
        new("diagnosis", $"/patients/{P}/diagnoses", """{"occurredOn":"2010-12-14","histology":"leiomyosarcoma","differentiation":"well","primarySite":"uterus","metastaticSites":["liver"],"immunohistochemistry":{"positive":["desmin"],"negative":["S100"]}}""", ["occurredOn", "histology"]),
        new("diagnosis", $"/patients/{P}/performance-status", """{"occurredOn":"2010-12-06","ecog":1}""", ["occurredOn", "ecog"]),
        new("diagnosis", $"/patients/{P}/mdt-decisions", """{"occurredOn":"2012-01-24","decision":"TACE","plannedProcedures":[{"procedure":"tace","sessions":2,"intervalMonths":3,"firstOn":"2012-02-14"}]}""", ["occurredOn", "decision", "plannedProcedures[0].procedure", "plannedProcedures[0].sessions", "plannedProcedures[0].intervalMonths"]),
        new("diagnosis", $"/patients/{P}/surveillance-plans", """{"startsOn":"2012-01-24","protocol":"ct-q3m-visits-q1m"}""", ["startsOn", "protocol"]),
        new("diagnosis", $"/patients/{P}/visits", """{"occurredOn":"2012-02-24","ecog":0}""", ["occurredOn"]),
        // The navigation facts, in an order a plan allows: booked, deferred, a result from elsewhere, assigned, ended, died.
        new("diagnosis", $"/patients/{P}/appointments", $$"""{"kind":"ct","scheduledOn":"{{Soon}}","location":"CT room 2"}""", ["kind", "scheduledOn"]),
        new("diagnosis", $"/patients/{P}/deferrals", $$"""{"kind":"clinic-visit","until":"{{Soon}}","reason":"patient abroad"}""", ["kind", "until", "reason"]),
        new("diagnosis", $"/patients/{P}/outside-results", """{"kind":"ct","performedOn":"2012-04-20","facility":"Regional Hospital","summary":"stable disease"}""", ["kind", "performedOn", "facility"]),
        new("diagnosis", $"/patients/{P}/navigator", """{"navigator":"nurse.navigator"}""", ["navigator"]),
        new("diagnosis", $"/patients/{P}/surveillance-plans/end", """{"endedOn":"2013-01-24","reason":"transferred"}""", ["endedOn", "reason"]),
        new("diagnosis", $"/patients/{P}/death", """{"diedOn":"2014-01-01","cause":"disease progression"}""", ["diedOn"]),
        new("chemotherapy", $"/patients/{P}/regimens", """{"regimenId":"AI-2","name":"AI","startedOn":"2011-01-10","cycleLengthDays":21,"heightCm":165,"weightKg":65,"drugs":[{"drug":"doxorubicin","dosePerM2Mg":20,"days":[1,2,3],"route":"iv","purpose":"antineoplastic"}]}""", ["regimenId", "name", "startedOn", "cycleLengthDays", "heightCm", "weightKg", "drugs", "drugs[0].drug", "drugs[0].dosePerM2Mg", "drugs[0].days", "drugs[0].route"]),
        new("chemotherapy", $"/patients/{P}/regimens/AI-1/cycles", """{"cycleNumber":1,"startedOn":"2011-01-10","completedOn":"2011-01-13","weightKg":65,"doseReductionPercent":0}""", ["cycleNumber", "startedOn", "completedOn"]),
        new("chemotherapy", $"/patients/{P}/regimens/AI-1/stop", """{"stoppedOn":"2011-05-10","reason":"switch"}""", ["stoppedOn", "reason"]),
        new("chemotherapy", $"/patients/{P}/adverse-events", """{"occurredOn":"2011-02-01","term":"Neutrophil count decreased","grade":3,"attribution":"doxorubicin","treatment":"G-CSF"}""", ["occurredOn", "term", "grade"]),
        new("interventional", $"/patients/{P}/tace", """{"performedOn":"2011-07-12","target":"liver","drug":"doxorubicin","doseMg":150,"carrier":"beads","approach":"superselective","toxicities":[{"term":"nausea","grade":2}]}""", ["performedOn", "target", "drug", "doseMg", "toxicities[0].term", "toxicities[0].grade"]),
        new("interventional", $"/patients/{P}/rfa", """{"performedOn":"2011-10-18","target":"node","lesionSizeMm":[30,23],"ablationCycles":2,"targetTemperatureC":70,"cycleMinutes":10,"electrode":"Cool-Tip","protectiveMeasures":["stent"],"technicalSuccess":true,"complications":[{"term":"urinary tract infection","grade":3,"treatment":"ciprofloxacin"}]}""", ["performedOn", "target", "technicalSuccess", "complications[0].term", "complications[0].grade"]),
        new("imaging", $"/patients/{P}/pet-ct", """{"performedOn":"2010-12-20","indication":"staging","lesions":[{"lesionId":"a","site":"liver","suvMax":9.3,"longestDiameterMm":40}],"impression":"avid"}""", ["performedOn", "indication", "lesions", "lesions[0].lesionId", "lesions[0].site", "lesions[0].suvMax"]),
        new("imaging", $"/patients/{P}/ct", """{"performedOn":"2010-12-22","region":"abdomen","contrast":true,"targetLesions":[{"lesionId":"a","site":"liver","longestDiameterMm":42,"lymphNode":false}],"newLesions":false,"impression":"baseline"}""", ["performedOn", "region", "targetLesions", "targetLesions[0].lesionId", "targetLesions[0].site", "targetLesions[0].longestDiameterMm"]),
    ];

    [Fact]
    public async Task Generated_bad_requests_answer_400_404_409_or_413_with_a_problem_document_and_record_nothing()
    {
        // Some state for the stateful routes to decide against: a registered patient with a started regimen (already
        // there, 409, when a live system was fuzzed before).
        Assert.Contains((await ClientOf("diagnosis").PostAsJsonAsync("/patients", new { patientId = P, sex = "female", birthDate = "1960-01-01" })).StatusCode,
            new[] { HttpStatusCode.Accepted, HttpStatusCode.Conflict });
        Assert.Contains((await ClientOf("chemotherapy").PostAsync($"/patients/{P}/regimens", Json(
            """{"regimenId":"AI-1","name":"AI","startedOn":"2011-01-10","cycleLengthDays":21,"heightCm":165,"weightKg":65,"drugs":[{"drug":"doxorubicin","dosePerM2Mg":20,"days":[1,2,3],"route":"iv"}]}"""))).StatusCode,
            new[] { HttpStatusCode.Accepted, HttpStatusCode.Conflict });
        await Eventually.HoldsAsync(async () => await JourneyEntryCountAsync(P) == 2, "fuzz patient's state in the journey");
        var before = await DepartmentEventCountsAsync();

        // Every route answers 202 to its unmutated body, so each refusal below is the mutation's doing.
        var random = new Random(20261128);
        var failures = new List<string>();
        for (var i = 0; i < Requests; i++)
        {
            var route = Routes[i % Routes.Length];
            var (description, content) = Mutate(route, random);
            var (status, mediaType, body) = await SendAsync(ClientOf(route.Department), new HttpRequestMessage(HttpMethod.Post, route.Path) { Content = content });
            // 429: a live system's rate limit (nothing recorded either).
            if (status is not (400 or 404 or 409 or 413 or 429) || mediaType != "application/problem+json")
                failures.Add($"{route.Path} [{description}] -> {status} {mediaType}: {Truncate(body)}");
        }

        Tally("bad writes", Requests);
        Assert.True(failures.Count == 0, $"{failures.Count} of {Requests} bad requests were not refused properly:\n" + string.Join("\n", failures.Take(20)));
        Assert.Equal(before, await DepartmentEventCountsAsync());
        Assert.Equal(2, await JourneyEntryCountAsync(P));
        Assert.Equal(HttpStatusCode.NotFound, (await ClientOf("journey").GetAsync("/patients/FUZZ-2/journey")).StatusCode);
    }

    [Fact]
    public async Task Generated_bad_reads_answer_400_or_404_with_a_problem_document_never_a_5xx()
    {
        var random = new Random(20261206);
        string[] badIds = ["..", ".", "...", new string('a', 65), "%C3%28", "%ED%A0%80", "ü", "a b", "a%2Fb", "%2E%2E", "a\\b", "%09", "%7F"];
        // An encoded NUL in a path is refused by the test host's client itself; Kestrel answers it (400) over a socket.
        if (Live) badIds = [.. badIds, "%00", "a%00b"];
        string[] badValues = ["x", "%00", "2012-13-40", "-1", "99999999999999999999", "%ED%A0%80", "2012-02-30", "1e400", "%09", "null", "2012-01-01T25:00"];
        string[] routes = ["journey", "surveillance", "events", "verify", "fhir", "measurements"];
        var failures = new List<string>();
        var reads = Math.Max(500, Requests / 2);
        for (var i = 0; i < reads; i++)
        {
            var path = random.Next(4) switch
            {
                0 => $"/patients/{badIds[random.Next(badIds.Length)]}/{routes[random.Next(routes.Length)]}",
                1 => $"/patients/{P}/surveillance?asOf={badValues[random.Next(badValues.Length)]}",
                2 => $"/patients/{P}/{(random.Next(2) == 0 ? "events" : "journey")}?asKnownAt={badValues[random.Next(badValues.Length)]}",
                _ => $"/worklist?{new[] { "asOf", "status", "limit", "offset", "asKnownAt" }[random.Next(5)]}={badValues[random.Next(badValues.Length)]}",
            };
            var (status, mediaType, body) = await SendAsync(ClientOf("journey"), new HttpRequestMessage(HttpMethod.Get, path));
            // A read may also succeed (a "status" of known words, a limit in range); never a 5xx, and a refusal is a problem document.
            // An encoded NUL in the request line is refused by Kestrel itself, before any middleware: a bare 400.
            var refusedByKestrel = status == 400 && path.Contains("%00", StringComparison.Ordinal);
            if (status is 0 or >= 500 || (status >= 400 && mediaType != "application/problem+json" && !refusedByKestrel))
                failures.Add($"GET {path} -> {status} {mediaType}: {Truncate(body)}");
        }

        Tally("bad reads", reads);
        Assert.True(failures.Count == 0, $"{failures.Count} of {reads} bad reads were not refused properly:\n" + string.Join("\n", failures.Take(20)));
    }

    private async Task<int> JourneyEntryCountAsync(string patientId)
    {
        using var response = await ClientOf("journey").GetAsync($"/patients/{patientId}/journey");
        return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonObject>())!["entries"]!.AsArray().Count : 0;
    }

    [Fact]
    public async Task Batches_of_generated_bad_entries_answer_each_entry_with_a_problem_and_record_nothing()
    {
        var before = await DepartmentEventCountsAsync();
        var random = new Random(20261129);
        var failures = new List<string>();
        for (var b = 0; b < 100; b++)
        {
            var department = Routes[random.Next(Routes.Length)].Department;
            var routes = Routes.Where(r => r.Department == department).ToList();
            // Built from bytes, not strings: a mutation's invalid UTF-8 must reach the server as it is.
            var envelope = new MemoryStream();
            envelope.Write("{\"entries\":["u8);
            var descriptions = new List<string>();
            while (descriptions.Count < 10)
            {
                var route = routes[random.Next(routes.Count)];
                var (description, content) = Mutate(route, random);
                var body = await content.ReadAsByteArrayAsync();
                // A body that is no JSON object would refuse the whole envelope; those are the single-request test's.
                try
                {
                    using var parsed = System.Text.Json.JsonDocument.Parse(body);
                    if (parsed.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object) continue;
                }
                catch (System.Text.Json.JsonException) { continue; }
                if (descriptions.Count > 0) envelope.Write(","u8);
                envelope.Write(Encoding.UTF8.GetBytes($$"""{"path":"{{route.Path}}","body":"""));
                envelope.Write(body);
                envelope.Write("}"u8);
                descriptions.Add($"{route.Path} [{description}]");
            }
            envelope.Write("]}"u8);
            var request = new ByteArrayContent(envelope.ToArray());
            request.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var (status, mediaType, text) = await SendAsync(ClientOf(department), new HttpRequestMessage(HttpMethod.Post, "/batch") { Content = request });
            if (status is 400 or 413 && mediaType == "application/problem+json")
                continue; // the envelope itself refused (a body too deep to read, say): nothing of it recorded
            if (status != 200) { failures.Add($"batch {b} -> {status}: {Truncate(text)}"); continue; }
            foreach (var (entry, description) in JsonNode.Parse(text)!["entries"]!.AsArray().Zip(descriptions))
                if ((int)entry!["status"]! is not (400 or 404 or 409 or 413) || entry["problem"]?["errors"] is null)
                    failures.Add($"batch {b}: {description} -> {Truncate(entry.ToJsonString())}");
        }

        Tally("batches of 10 bad entries", 100);
        Assert.True(failures.Count == 0, $"{failures.Count} bad batch entries were not refused properly:\n" + string.Join("\n", failures.Take(20)));
        Assert.Equal(before, await DepartmentEventCountsAsync());
    }

    [Fact]
    public async Task Every_template_body_is_itself_valid()
    {
        // Guards the fuzz test: were a template invalid, its mutations would prove nothing.
        foreach (var route in Routes.Where(r => !r.Path.Contains("AI-1", StringComparison.Ordinal)))
        {
            var path = route.Path.Replace(P, "TEMPLATE-1", StringComparison.Ordinal);
            var body = route.Body.Replace("FUZZ-2", "TEMPLATE-2", StringComparison.Ordinal);
            using var response = await system.Departments[route.Department].PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{route.Path}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private async Task<Dictionary<string, int>> DepartmentEventCountsAsync()
    {
        var counts = new Dictionary<string, int>();
        if (Live)
        {
            // The running system's database: each department's events in its own schema.
            var settings = PatientJourney.StoreAndBus.InfrastructureSettings.From(new ConfigurationBuilder().AddEnvironmentVariables().Build());
            await using var connection = new Npgsql.NpgsqlConnection(settings.PostgresConnectionString);
            await connection.OpenAsync();
            foreach (var department in PatientJourney.Contracts.Departments.All)
            {
                await using var command = new Npgsql.NpgsqlCommand($"select count(*) from {department}.mt_events", connection);
                counts[department] = Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            }
            return counts;
        }
        return await system.DepartmentEventCountsAsync();
    }

    private static (string, HttpContent) Mutate(Route route, Random random)
    {
        var body = JsonNode.Parse(route.Body)!.AsObject();
        var fields = Fields(body, "").ToList();
        switch (random.Next(10))
        {
            case 0:
            {
                var field = route.Required[random.Next(route.Required.Length)];
                Remove(body, field);
                return ($"without {field}", Json(body.ToJsonString()));
            }
            case 1:
            {
                var (path, node) = fields[random.Next(fields.Count)];
                var wrong = WrongTypeFor(node, random);
                Replace(body, path, wrong);
                return ($"{path} = {wrong?.ToJsonString()}", Json(body.ToJsonString()));
            }
            case 2:
            {
                var numbers = fields.Where(f => f.Node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number).ToList();
                if (numbers.Count == 0) goto case 1;
                var (path, _) = numbers[random.Next(numbers.Count)];
                var huge = random.Next(3) switch { 0 => "1e400", 1 => "-79228162514264337593543950336", _ => "99999999999999999999999999" };
                return ($"{path} = {huge}", Json(Replace(body, path, JsonValue.Create(0)).ToJsonString().Replace($"\"{Leaf(path)}\":0", $"\"{Leaf(path)}\":{huge}", StringComparison.Ordinal)));
            }
            case 3:
            {
                var numbers = fields.Where(f => f.Node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number).ToList();
                if (numbers.Count == 0) goto case 1;
                var (path, _) = numbers[random.Next(numbers.Count)];
                Replace(body, path, JsonValue.Create(-random.Next(1, 1000)));
                return ($"{path} negative", Json(body.ToJsonString()));
            }
            case 4:
            {
                var strings = fields.Where(f => f.Node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String).ToList();
                var (path, _) = strings[random.Next(strings.Count)];
                Replace(body, path, JsonValue.Create(new string('x', 200_000)));
                return ($"{path} huge string", Json(body.ToJsonString()));
            }
            case 5:
            {
                // A lone surrogate escape, or raw bytes that are not UTF-8.
                var strings = fields.Where(f => f.Node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String).ToList();
                var (path, node) = strings[random.Next(strings.Count)];
                var original = $"\"{Leaf(path)}\":{node!.ToJsonString()}";
                var text = body.ToJsonString();
                if (random.Next(2) == 0)
                    return ($"{path} lone surrogate", Json(text.Replace(original, $"\"{Leaf(path)}\":\"\\ud800x\"", StringComparison.Ordinal)));
                var bytes = Encoding.UTF8.GetBytes(text.Replace(original, $"\"{Leaf(path)}\":\"@@\"", StringComparison.Ordinal)).ToList();
                var at = bytes.IndexOf((byte)'@');
                bytes[at] = 0xC3; bytes[at + 1] = 0x28; // an invalid two-byte sequence
                var content = new ByteArrayContent(bytes.ToArray());
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                return ($"{path} invalid UTF-8", content);
            }
            case 6:
            {
                var text = body.ToJsonString();
                return ("truncated JSON", Json(text[..random.Next(0, text.Length - 1)]));
            }
            case 7:
                return ("deeply nested", Json(new string('[', 5000) + new string(']', 5000)));
            case 8:
            {
                // A NUL, another control character or an unpaired surrogate inside a string field's text.
                var strings = fields.Where(f => f.Node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String).ToList();
                var (path, node) = strings[random.Next(strings.Count)];
                var hostile = new[] { @"\u0000", @"\u0007", @"\u001f", @"\u007f", @"\u009b", @"\udfff" }[random.Next(6)];
                var original = $"\"{Leaf(path)}\":{node!.ToJsonString()}";
                var value = node.GetValue<string>();
                var at = random.Next(value.Length + 1);
                return ($"{path} with {hostile}", Json(body.ToJsonString().Replace(original, $"\"{Leaf(path)}\":\"{value[..at]}{hostile}{value[at..]}\"", StringComparison.Ordinal)));
            }
            default:
            {
                var top = random.Next(4) switch { 0 => "null", 1 => "[]", 2 => "\"text\"", _ => "42" };
                return ($"body {top}", Json(top));
            }
        }
    }

    private static HttpContent Json(string text) => new StringContent(text, Encoding.UTF8, "application/json");

    private static string Leaf(string path) => path.Split('.').Last().Split('[')[0];

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "...";

    /// <summary>Every field of a body with its path ("drugs[0].route").</summary>
    private static IEnumerable<(string Path, JsonNode? Node)> Fields(JsonNode node, string prefix)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o)
                {
                    var path = prefix.Length == 0 ? key : $"{prefix}.{key}";
                    yield return (path, child);
                    if (child is JsonObject or JsonArray)
                        foreach (var inner in Fields(child, path)) yield return inner;
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    if (a[i] is JsonObject)
                        foreach (var inner in Fields(a[i]!, $"{prefix}[{i}]")) yield return inner;
                break;
        }
    }

    private static (JsonNode Parent, string Key) Locate(JsonObject body, string path)
    {
        JsonNode current = body;
        var segments = path.Split('.');
        for (var i = 0; i < segments.Length - 1; i++) current = Step(current, segments[i]);
        return (current, segments[^1]);
    }

    private static JsonNode Step(JsonNode node, string segment)
    {
        var bracket = segment.IndexOf('[');
        if (bracket < 0) return node[segment]!;
        var child = node[segment[..bracket]]!;
        return child[int.Parse(segment[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)]!;
    }

    private static void Remove(JsonObject body, string path)
    {
        var (parent, key) = Locate(body, path);
        parent.AsObject().Remove(key);
    }

    private static JsonObject Replace(JsonObject body, string path, JsonNode? value)
    {
        var (parent, key) = Locate(body, path);
        parent[key] = value;
        return body;
    }

    private static JsonNode? WrongTypeFor(JsonNode? node, Random random)
    {
        JsonNode?[] candidates = node switch
        {
            JsonObject => [new JsonArray(), JsonValue.Create("x"), JsonValue.Create(3)],
            JsonArray => [new JsonObject(), JsonValue.Create("x"), JsonValue.Create(3)],
            JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => [JsonValue.Create(42), JsonValue.Create(true), new JsonArray(), new JsonObject()],
            JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number => [JsonValue.Create("abc"), JsonValue.Create(true), new JsonArray(), new JsonObject()],
            _ => [JsonValue.Create("yes"), JsonValue.Create(1), new JsonArray()],
        };
        return candidates[random.Next(candidates.Length)];
    }
}
