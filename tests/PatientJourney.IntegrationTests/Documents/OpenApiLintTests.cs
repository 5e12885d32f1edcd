using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PatientJourney.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace PatientJourney.IntegrationTests.Documents;

/// <summary>
/// The OpenAPI document each service hosts, read by a tool we did not write (Spectral, its spectral:oas ruleset) and
/// checked for what the contract says of every route: a bearer token, its path parameters, its required fields, every
/// answer it can give.
/// </summary>
public class OpenApiLintTests(PatientJourneySystem system, ITestOutputHelper output) : IClassFixture<PatientJourneySystem>
{
    private const string Problem = "application/problem+json";

    private IEnumerable<(string Service, HttpClient Client)> Services =>
        system.Departments.Select(d => (d.Key, d.Value)).Prepend(("journey", system.JourneyClient));

    private static async Task<JsonObject> DocumentAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;

    private async Task<List<(string Service, string Path, string Method, JsonObject Operation)>> OperationsAsync()
    {
        var operations = new List<(string, string, string, JsonObject)>();
        foreach (var (service, client) in Services)
            foreach (var (path, item) in (await DocumentAsync(client))["paths"]!.AsObject())
                foreach (var (method, operation) in item!.AsObject().Where(o => o.Key is "get" or "post"))
                    operations.Add((service, path, method, operation!.AsObject()));
        return operations;
    }

    [Fact]
    public async Task Every_services_OpenAPI_document_passes_spectral_oas_without_errors()
    {
        var failures = new List<string>();
        foreach (var (service, client) in Services)
        {
            var file = Path.Combine(Path.GetTempPath(), $"openapi-{service}-{Guid.NewGuid():N}.json");
            await File.WriteAllTextAsync(file, (await DocumentAsync(client)).ToJsonString());
            try
            {
                var results = await SpectralAsync(file);
                var errors = results.Where(r => (int)r!["severity"]! == 0).ToList();
                var warnings = results.Where(r => (int)r!["severity"]! == 1).ToList();
                output.WriteLine($"{service}: {errors.Count} errors, {warnings.Count} warnings");
                foreach (var w in warnings) output.WriteLine($"  warning {w!["code"]} at {string.Join('.', w["path"]!.AsArray())}: {w["message"]}");
                failures.AddRange(errors.Select(e => $"{service}: {e!["code"]} at {string.Join('.', e["path"]!.AsArray())}: {e["message"]}"));
            }
            finally
            {
                File.Delete(file);
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Spectral's findings (`spectral lint -f json`), run from the repository as CI runs it.</summary>
    private static async Task<JsonArray> SpectralAsync(string document)
    {
        var start = new ProcessStartInfo(Path.Combine(Repository.Root, "tools", "OutsideTools", "node_modules", ".bin", "spectral"),
            ["lint", "--ruleset", Path.Combine("tools", "OutsideTools", "openapi.spectral.yaml"), "-f", "json", "--fail-severity", "error", document])
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = (await stdout).Trim();
        Assert.True(text.StartsWith('['), $"spectral did not answer with its findings (exit {process.ExitCode}): {text} {await stderr}");
        return JsonNode.Parse(text)!.AsArray();
    }

    [Fact]
    public async Task Every_operation_requires_a_JWT_bearer_token()
    {
        foreach (var (service, client) in Services)
        {
            var document = await DocumentAsync(client);
            var scheme = document["components"]?["securitySchemes"]?["bearer"];
            Assert.True(scheme is not null, $"{service} declares no bearer scheme");
            Assert.Equal("http", (string?)scheme["type"]);
            Assert.Equal("bearer", (string?)scheme["scheme"]);
            Assert.Equal("JWT", (string?)scheme["bearerFormat"]);
        }
        foreach (var (service, path, method, operation) in await OperationsAsync())
            Assert.True(operation["security"]?.AsArray().Any(r => r!.AsObject().ContainsKey("bearer")) == true, $"{service} {method} {path} requires no bearer token");
    }

    [Fact]
    public async Task Every_path_parameter_is_declared_with_the_id_pattern()
    {
        var operations = await OperationsAsync();
        Assert.Contains(operations, o => o.Path == "/patients/{patientId}/regimens/{regimenId}/cycles");
        foreach (var (service, path, method, operation) in operations)
            foreach (var name in System.Text.RegularExpressions.Regex.Matches(path, @"\{(\w+)\}").Select(m => m.Groups[1].Value))
            {
                var parameter = operation["parameters"]?.AsArray().SingleOrDefault(p => (string?)p!["name"] == name && (string?)p["in"] == "path");
                Assert.True(parameter is not null, $"{service} {method} {path} does not declare {name}");
                Assert.True((bool?)parameter["required"] == true, $"{service} {method} {path}: {name} is not required");
                Assert.False(string.IsNullOrEmpty((string?)parameter["schema"]?["pattern"]), $"{service} {method} {path}: {name} has no pattern");
            }
    }

    [Fact]
    public async Task Registration_requires_patientId_sex_and_birthDate_and_not_displayName_or_occurredOn()
    {
        var document = await DocumentAsync(system.Departments["diagnosis"]);
        var schema = Resolve(document, document["paths"]!["/patients"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!);
        var required = schema["required"]!.AsArray().Select(r => (string)r!).Order().ToList();
        Assert.Equal(["birthDate", "patientId", "sex"], required);
        Assert.True(schema["properties"]!.AsObject().ContainsKey("displayName"));
        Assert.True(schema["properties"]!.AsObject().ContainsKey("occurredOn"));

        // Nested lists say their own: a CT's target lesion needs lesionId, site and longestDiameterMm, not organ.
        var imaging = await DocumentAsync(system.Departments["imaging"]);
        var ct = Resolve(imaging, imaging["paths"]!["/patients/{patientId}/ct"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!);
        Assert.Equal(["performedOn", "region", "targetLesions"], ct["required"]!.AsArray().Select(r => (string)r!).Order());
        var lesion = Resolve(imaging, ct["properties"]!["targetLesions"]!["items"]!);
        Assert.Equal(["lesionId", "longestDiameterMm", "site"], lesion["required"]!.AsArray().Select(r => (string)r!).Order());

        // A batch entry needs its path and body; its Idempotency-Key is optional, as the contract says.
        var batch = Resolve(imaging, imaging["paths"]!["/batch"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!);
        var entry = Resolve(imaging, batch["properties"]!["entries"]!["items"]!);
        Assert.Equal(["body", "path"], entry["required"]!.AsArray().Select(r => (string)r!).Order());
    }

    [Fact]
    public async Task Every_refusal_is_declared_as_a_problem_document_with_an_example()
    {
        foreach (var (service, path, method, operation) in await OperationsAsync())
        {
            var responses = operation["responses"]!.AsObject();
            var expected = new List<string> { "400", "401", "403", "429" };
            if (method == "post") expected.Add("413");
            if (service != "journey" && path != "/batch") expected.AddRange(["202", "404", "409"]);
            if (path.Contains("{patientId}", StringComparison.Ordinal) && service == "journey") expected.Add("404");
            foreach (var status in expected)
            {
                var content = responses[status]?["content"]?.AsObject();
                Assert.True(content is not null, $"{service} {method} {path} does not declare {status} with content");
                var media = status == "202" ? content["application/json"] : content[Problem];
                Assert.True(media?["schema"] is not null, $"{service} {method} {path}: {status} has no schema");
                Assert.True(media["example"] is not null, $"{service} {method} {path}: {status} has no example");
            }
            Assert.True(responses["429"]!["headers"]?["Retry-After"] is not null, $"{service} {method} {path}: 429 does not declare Retry-After");
        }
    }

    [Fact]
    public async Task The_counts_of_a_page_are_declared_as_response_headers()
    {
        var document = await DocumentAsync(system.JourneyClient);
        Assert.NotNull(document["paths"]!["/patients"]!["get"]!["responses"]!["200"]!["headers"]?["X-Total-Count"]);
        var worklist = document["paths"]!["/worklist"]!["get"]!["responses"]!["200"]!["headers"];
        Assert.NotNull(worklist?["X-Total-Count"]);
        Assert.NotNull(worklist?["X-Status-Counts"]);
    }

    [Fact]
    public async Task The_FHIR_export_answers_application_fhir_json()
    {
        var document = await DocumentAsync(system.JourneyClient);
        var content = document["paths"]!["/patients/{patientId}/fhir"]!["get"]!["responses"]!["200"]!["content"]!.AsObject();
        Assert.Equal(["application/fhir+json"], content.Select(c => c.Key));
        Assert.NotNull(content["application/fhir+json"]!["schema"]);
    }

    [Fact]
    public async Task The_dashboard_publishes_no_API_document_it_has_no_API()
    {
        await using var dashboard = new DashboardHost(system);
        var client = dashboard.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.NotEqual(HttpStatusCode.OK, (await client.GetAsync("/openapi/v1.json")).StatusCode);
        var signedIn = await dashboard.SignedInClientAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await signedIn.GetAsync("/openapi/v1.json")).StatusCode);
    }

    /// <summary>A schema, or the component a $ref names.</summary>
    private static JsonObject Resolve(JsonObject document, JsonNode schema) =>
        schema["$ref"] is { } reference ? document["components"]!["schemas"]![((string)reference!).Split('/')[^1]]!.AsObject() : schema.AsObject();
}
