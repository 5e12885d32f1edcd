using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PatientJourney.IntegrationTests.Infrastructure;

/// <summary>
/// A real, certified OpenID provider (npm oidc-provider, tools/OidcProvider/provider.mjs) run by node on a free loopback
/// port: the services fetch its discovery document and keys as they would a hospital's. test.sh installs it (npm ci).
/// </summary>
public sealed class OpenIdProvider : IAsyncDisposable
{
    public sealed record User(string Username, string Password, params string[] Roles);
    public sealed record Client(string ClientId, string Secret, string[] GrantTypes, string[]? RedirectUris = null, string[]? Roles = null);

    private readonly Process _process;
    private readonly string _configFile;
    private readonly List<string> _output = [];

    public string Issuer { get; }
    public IReadOnlyList<string> Output { get { lock (_output) return _output.ToList(); } }

    private OpenIdProvider(Process process, string configFile, string issuer)
    {
        _process = process;
        _configFile = configFile;
        Issuer = issuer;
    }

    public static string NewPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(12));

    public static async Task<OpenIdProvider> StartAsync(IEnumerable<User> users, IEnumerable<Client> clients, string host = "127.0.0.1")
    {
        var folder = Path.Combine(Repository.Root, "tools", "OidcProvider");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "oidc-provider")))
            throw new InvalidOperationException($"oidc-provider is not installed: run `npm ci` in {folder} (test.sh does)");
        var issuer = $"http://{host}:{ServiceProcess.FreePort()}";
        var config = new JsonObject
        {
            ["issuer"] = issuer,
            ["allowKeyRotation"] = true,
            ["users"] = new JsonArray(users.Select(u => (JsonNode)new JsonObject
            {
                ["username"] = u.Username, ["password"] = u.Password, ["name"] = u.Username, ["roles"] = new JsonArray(u.Roles.Select(r => (JsonNode)r!).ToArray()),
            }).ToArray()),
            ["clients"] = new JsonArray(clients.Select(c => (JsonNode)new JsonObject
            {
                ["client_id"] = c.ClientId, ["client_secret"] = c.Secret,
                ["grant_types"] = new JsonArray(c.GrantTypes.Select(g => (JsonNode)g!).ToArray()),
                ["redirect_uris"] = new JsonArray((c.RedirectUris ?? []).Select(u => (JsonNode)u!).ToArray()),
                ["roles"] = new JsonArray((c.Roles ?? []).Select(r => (JsonNode)r!).ToArray()),
            }).ToArray()),
        };
        var configFile = Path.Combine(Path.GetTempPath(), $"pj-oidc-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(configFile, config.ToJsonString());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(configFile, UnixFileMode.UserRead | UnixFileMode.UserWrite); // it holds the test users' passwords

        var start = new ProcessStartInfo("node", ["provider.mjs", configFile])
        {
            WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var provider = new OpenIdProvider(process, configFile, issuer);
        process.OutputDataReceived += (_, e) => provider.Append(e.Data);
        process.ErrorDataReceived += (_, e) => provider.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"the OpenID provider exited: {string.Join('\n', provider.Output)}");
            try
            {
                if ((await http.GetAsync($"{issuer}/.well-known/openid-configuration")).IsSuccessStatusCode) return provider;
            }
            catch (HttpRequestException) { }
            if (DateTime.UtcNow > until) throw new TimeoutException($"the OpenID provider did not answer: {string.Join('\n', provider.Output)}");
            await Task.Delay(100);
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
    }

    /// <summary>An access token for the client itself (client credentials), with the roles the provider gives that client.</summary>
    public async Task<string> ClientCredentialsTokenAsync(string clientId, string secret)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync($"{Issuer}/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret,
        }));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"token endpoint: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["access_token"]!.GetValue<string>();
    }

    /// <summary>The provider signs with a new key from now on (same issuer, new kid; the old key is gone from its JWKS).</summary>
    public async Task<string> RotateSigningKeyAsync()
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync($"{Issuer}/testing/rotate-keys", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["kid"]!.GetValue<string>();
    }

    /// <summary>The kid in a JWT's header.</summary>
    public static string KidOf(string jwt) =>
        JsonDocument.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(jwt.Split('.')[0])).RootElement.GetProperty("kid").GetString()!;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        File.Delete(_configFile);
    }
}
