using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PatientJourney.BuildingBlocks.Security;
using PatientJourney.Dashboard;
using PatientJourney.Dashboard.Patients;

namespace PatientJourney.IntegrationTests.Infrastructure;

/// <summary>The dashboard, reading the test system's journey host through the journey's in-memory server.</summary>
public sealed class DashboardHost(PatientJourneySystem system) : WebApplicationFactory<DashboardService>
{
    /// <summary>Serve on this port with Kestrel (for a real browser) instead of in memory.</summary>
    public int? Port { get; init; }

    /// <summary>More configuration (an OpenID Connect authority, say).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (Port is { } port) builder.UseSetting("urls", $"http://127.0.0.1:{port}");
        builder.UseSetting("Journey:BaseUrl", "http://journey");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
            services.AddHttpClient<JourneyClient>().ConfigurePrimaryHttpMessageHandler(() => system.Journey.Server.CreateHandler()));
    }

    /// <summary>A browser-like client (it keeps cookies) signed in with a token for the role.</summary>
    public async Task<HttpClient> SignedInClientAsync(string role = Roles.Clinician)
    {
        var client = CreateClient();
        using var signIn = await client.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = TestTokens.For(role) }));
        signIn.EnsureSuccessStatusCode();
        return client;
    }
}
