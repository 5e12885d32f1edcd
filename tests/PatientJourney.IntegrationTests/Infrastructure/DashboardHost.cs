using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PatientJourney.Hosting.Security;
using PatientJourney.Dashboard;
using PatientJourney.Dashboard.Navigation;
using PatientJourney.Dashboard.Patients;

namespace PatientJourney.IntegrationTests.Infrastructure;

/// <summary>The dashboard, reading the test system's journey host through the journey's in-memory server.</summary>
public sealed class DashboardHost(PatientJourneySystem system) : WebApplicationFactory<DashboardService>
{
    /// <summary>Serve on this port with Kestrel (for a real browser) instead of in memory.</summary>
    public int? Port { get; init; }

    /// <summary>More configuration (an OpenID Connect authority, say).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Where the dashboard's log lines go, at the levels of <see cref="Settings"/> (else Warning, to the console).</summary>
    public ILoggerProvider? LogSink { get; init; }

    /// <summary>What answers in the journey's place (else the test system's journey).</summary>
    public Func<HttpMessageHandler>? Journey { get; init; }

    // Two factories of one minimal-hosting Program built at the same time can each pick up the other's host (the framework
    // finds it through a process-wide diagnostic event): seen once as a Kestrel dashboard "already started" while the
    // OpenID Connect browser test started its own. Dashboards are built one at a time.
    private static readonly Lock Building = new();

    protected override IHost CreateHost(IHostBuilder builder)
    {
        lock (Building) return base.CreateHost(builder);
    }

    /// <summary>
    /// Serves with Kestrel at <see cref="Port"/>, else at a port the system picks when it binds (a port picked
    /// beforehand may be taken by then), and answers the address. Built under the same lock: the Kestrel path does not
    /// go through <see cref="CreateHost"/>.
    /// </summary>
    public Uri Serve()
    {
        lock (Building)
        {
            UseKestrel(Port ?? 0);
            StartServer();
        }
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("urls", $"http://127.0.0.1:{Port ?? 0}");
        builder.UseSetting("Journey:BaseUrl", "http://journey");
        foreach (var department in DepartmentClients.Departments) builder.UseSetting(DepartmentClients.Setting(department), $"http://{department}");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        if (LogSink is { } sink) builder.ConfigureLogging(logging => logging.AddProvider(sink));
        builder.ConfigureTestServices(services =>
        {
            services.AddHttpClient<JourneyClient>().ConfigurePrimaryHttpMessageHandler(() => Journey?.Invoke() ?? system.Journey.Server.CreateHandler());
            // The navigator's actions and the corrections go to the test system's departments, in memory.
            services.AddHttpClient(DepartmentClients.ClientName("diagnosis")).ConfigurePrimaryHttpMessageHandler(() => system.Diagnosis.Server.CreateHandler());
            services.AddHttpClient(DepartmentClients.ClientName("chemotherapy")).ConfigurePrimaryHttpMessageHandler(() => system.Chemotherapy.Server.CreateHandler());
            services.AddHttpClient(DepartmentClients.ClientName("interventional")).ConfigurePrimaryHttpMessageHandler(() => system.Interventional.Server.CreateHandler());
            services.AddHttpClient(DepartmentClients.ClientName("imaging")).ConfigurePrimaryHttpMessageHandler(() => system.Imaging.Server.CreateHandler());
        });
    }

    /// <summary>A browser-like client (it keeps cookies) signed in with a token for the role.</summary>
    public async Task<HttpClient> SignedInClientAsync(string role = Roles.Clinician)
    {
        var client = CreateClient();
        using var signIn = await SignInAsync(client, TestTokens.For(role));
        signIn.EnsureSuccessStatusCode();
        return client;
    }

    /// <summary>Signs in as a browser does: the sign-in page first (its anti-forgery cookie and form token), then the form.</summary>
    /// <remarks>A client that keeps no cookies passes the cookies to send (possibly none, "").</remarks>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string token, string? returnUrl = null, string? cookieHeader = null, string action = "/signin")
    {
        var form = await FormTokenAsync(client, "/signin", cookieHeader);
        var fields = new Dictionary<string, string> { [form.Field] = form.Value, ["token"] = token };
        if (returnUrl is not null) fields["returnUrl"] = returnUrl;
        var post = new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(fields) };
        if (cookieHeader is not null) post.Headers.Add("Cookie", string.Join("; ", new[] { cookieHeader, form.Cookie }.Where(c => !string.IsNullOrEmpty(c))));
        return await client.SendAsync(post);
    }

    /// <summary>
    /// The anti-forgery field of the first form on a page, and (for a client that does not keep cookies) the
    /// anti-forgery cookie the page set.
    /// </summary>
    public static async Task<(string Field, string Value, string? Cookie)> FormTokenAsync(HttpClient client, string path, string? cookieHeader = null)
    {
        var get = new HttpRequestMessage(HttpMethod.Get, path);
        if (!string.IsNullOrEmpty(cookieHeader)) get.Headers.Add("Cookie", cookieHeader);
        using var page = await client.SendAsync(get);
        var html = await page.Content.ReadAsStringAsync();
        var match = System.Text.RegularExpressions.Regex.Match(html, "<input type=\"hidden\" name=\"(?<field>__RequestVerificationToken)\" value=\"(?<value>[^\"]+)\">");
        if (!match.Success) throw new InvalidOperationException($"no anti-forgery field on {path}: {(int)page.StatusCode}");
        var cookie = page.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Select(c => c.Split(';')[0]).FirstOrDefault(c => c.StartsWith(PatientJourney.Dashboard.SigningIn.DashboardSessions.AntiforgeryCookie + "=", StringComparison.Ordinal))
            : null;
        return (match.Groups["field"].Value, System.Net.WebUtility.HtmlDecode(match.Groups["value"].Value), cookie);
    }
}
