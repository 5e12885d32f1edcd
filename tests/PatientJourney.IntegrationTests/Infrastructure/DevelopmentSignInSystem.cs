using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using PatientJourney.Hosting.Security;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Infrastructure;

/// <summary>
/// ./run.sh's configuration: the provider signs people in, and beside it (Development only) the services still accept the
/// development key that the seed loader and `journey-admin token` sign with.
/// </summary>
public sealed class DevelopmentSignInSystem : PatientJourneySystem, IAsyncLifetime
{
    public OpenIdProvider Provider { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:Authority"] = Provider.Issuer, ["Auth:AcceptDevelopmentTokens"] = "true",
    };

    async Task IAsyncLifetime.InitializeAsync()
    {
        Provider = await OpenIdProvider.StartAsync([], [OpenIdConnectSystem.AuditRobot]);
        await InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (Provider is not null) await Provider.DisposeAsync();
    }
}
