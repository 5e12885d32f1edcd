using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using PatientJourney.Hosting.Security;

namespace PatientJourney.IntegrationTests.Infrastructure;

/// <summary>
/// The whole system with Auth:Authority set to a real OpenID provider (oidc-provider on loopback), no development key:
/// the services take their keys from its discovery document, the dashboard signs people in there (code flow + PKCE).
/// A second provider is another issuer, with the same audience and roles.
/// </summary>
public sealed class OpenIdConnectSystem : PatientJourneySystem, IAsyncLifetime
{
    public const string DashboardClientId = "dashboard";
    public static readonly OpenIdProvider.User Nurse = new("nurse.navigator", OpenIdProvider.NewPassword(), Roles.Clinician);
    public static readonly OpenIdProvider.User Auditor = new("auditor.1", OpenIdProvider.NewPassword(), Roles.Auditor);
    public static readonly OpenIdProvider.Client DiagnosisDesk = new("diagnosis-desk", OpenIdProvider.NewPassword(), ["client_credentials"],
        Roles: [Roles.Department(Contracts.Departments.Diagnosis)]);
    public static readonly OpenIdProvider.Client AuditRobot = new("audit-robot", OpenIdProvider.NewPassword(), ["client_credentials"], Roles: [Roles.Auditor]);

    public string DashboardSecret { get; } = OpenIdProvider.NewPassword();
    /// <summary>Where a real browser's dashboard will listen (its callback must be registered at the provider).</summary>
    public int BrowserDashboardPort { get; } = ServiceProcess.FreePort();
    public OpenIdProvider Provider { get; private set; } = null!;
    public OpenIdProvider OtherIssuer { get; private set; } = null!;
    public LogCapture Logs { get; } = new();

    protected override ILoggerProvider LogSink => Logs;
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:Authority"] = Provider.Issuer,
        // Two rotations in one test: the services may fetch the keys again after 1 s (default 30 s).
        ["Auth:KeyRefreshInterval"] = "00:00:01",
        ["Logging:LogLevel:PatientJourney.Security"] = "Information",
        // Everything the authentication stack says, to show it never writes a token (captured; the console keeps Warning).
        ["Logging:LogLevel:Microsoft.AspNetCore.Authentication"] = "Trace",
        ["Logging:Console:LogLevel:Default"] = "Warning",
    };

    public IReadOnlyDictionary<string, string?> DashboardSettings => new Dictionary<string, string?>
    {
        ["Auth:Authority"] = Provider.Issuer, ["Auth:ClientId"] = DashboardClientId, ["Auth:ClientSecret"] = DashboardSecret,
    };

    async Task IAsyncLifetime.InitializeAsync()
    {
        OpenIdProvider.Client[] clients =
        [
            new(DashboardClientId, DashboardSecret, ["authorization_code"], ["http://localhost/signin-oidc", $"http://127.0.0.1:{BrowserDashboardPort}/signin-oidc"]),
            DiagnosisDesk, AuditRobot,
        ];
        // "localhost": the browser test's dashboard is on 127.0.0.1, so the provider is another site, as a hospital's is.
        Provider = await OpenIdProvider.StartAsync([Nurse, Auditor], clients, host: "localhost");
        OtherIssuer = await OpenIdProvider.StartAsync([Nurse, Auditor], clients);
        await InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (Provider is not null) await Provider.DisposeAsync();
        if (OtherIssuer is not null) await OtherIssuer.DisposeAsync();
    }
}
