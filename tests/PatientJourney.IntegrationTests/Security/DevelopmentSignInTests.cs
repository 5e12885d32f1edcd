using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using PatientJourney.Hosting.Security;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Security;

public class DevelopmentSignInTests(DevelopmentSignInSystem system) : IClassFixture<DevelopmentSignInSystem>
{
    [Fact]
    public async Task Beside_the_provider_the_seed_loaders_development_tokens_are_accepted_but_cannot_pass_for_the_provider()
    {
        // The departments' clients carry development tokens, as the seed loader's requests do.
        var seed = await system.LoadSeedCaseAsync();

        var provider = await system.Provider.ClientCredentialsTokenAsync(OpenIdConnectSystem.AuditRobot.ClientId, OpenIdConnectSystem.AuditRobot.Secret);
        using var auditor = system.Journey.CreateClient(provider);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/patients/{seed.PatientId}/events")).StatusCode);

        // The public development key cannot sign for the provider's issuer: that iss goes to the provider's keys.
        using var forged = system.Journey.CreateClient(DevelopmentTokens.Issue("mallory", [Roles.Auditor], issuer: system.Provider.Issuer));
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync($"/patients/{seed.PatientId}/events")).StatusCode);
        using var elsewhere = system.Journey.CreateClient(DevelopmentTokens.Issue("mallory", [Roles.Auditor], issuer: "https://idp.example.org"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await elsewhere.GetAsync($"/patients/{seed.PatientId}/events")).StatusCode);
    }
}
