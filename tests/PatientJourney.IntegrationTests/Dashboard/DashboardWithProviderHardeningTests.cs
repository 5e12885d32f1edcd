using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Dashboard;

/// <summary>The dashboard beside a real OpenID provider (oidc-provider on loopback, as in <see cref="OpenIdConnectTests"/>).</summary>
public class DashboardWithProviderHardeningTests(OpenIdConnectSystem system) : IClassFixture<OpenIdConnectSystem>
{
    [Fact]
    public async Task A_live_stream_without_a_session_answers_401_instead_of_a_redirect_to_the_provider_an_EventSource_cannot_follow()
    {
        await using var dashboard = new DashboardHost(system) { Settings = system.DashboardSettings };
        using var browser = dashboard.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var live = new HttpRequestMessage(HttpMethod.Get, "/patients/OIDC-LIVE-1/live");
        live.Headers.Accept.ParseAdd("text/event-stream");
        using var stream = await browser.SendAsync(live);
        Assert.Equal(HttpStatusCode.Unauthorized, stream.StatusCode);
        Assert.Null(stream.Headers.Location);

        // A page still goes to the provider.
        using var page = await browser.GetAsync("/patients/OIDC-LIVE-1");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith(system.Provider.Issuer, page.Headers.Location!.ToString());
    }
}
