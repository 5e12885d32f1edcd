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
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Journey:BaseUrl", "http://journey");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
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
