using PatientJourney.Hosting;
using PatientJourney.Dashboard.Audit;
using PatientJourney.Dashboard.Corrections;
using PatientJourney.Dashboard.Navigation;
using PatientJourney.Dashboard.Patients;
using PatientJourney.Dashboard.SigningIn;
using PatientJourney.Dashboard.Worklist;

namespace PatientJourney.Dashboard;

/// <summary>The surveillance dashboard: web pages read from the journey API.</summary>
public sealed class DashboardService
{
    public const int DefaultPort = 5000;

    /// <summary>Where the journey is when Journey:BaseUrl is not set (a service started by hand beside ./run.sh's).</summary>
    public const string DefaultJourneyUrl = "http://localhost:5100";

    /// <summary>
    /// Where each department is when its `{Department}:BaseUrl` is not set: the navigator's actions post to diagnosis,
    /// a department user's corrections to her department (deployment.json's ports).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultDepartmentUrls = new Dictionary<string, string>
    {
        ["diagnosis"] = "http://localhost:5101",
        ["chemotherapy"] = "http://localhost:5102",
        ["interventional"] = "http://localhost:5103",
        ["imaging"] = "http://localhost:5104",
    };
}

public static class DashboardServiceExtensions
{
    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        var journey = builder.Configuration["Journey:BaseUrl"] ?? DashboardService.DefaultJourneyUrl;
        builder.AddDashboardSignIn();
        builder.AddDashboardSessions();
        // The journey's URLs hold patient ids: HttpClient's loggers (every URI at Information) are replaced by one
        // that writes none (the framework's categories that echo this site's own URLs are capped in ServiceDefaults).
        builder.Services.AddSingleton<JourneyCallLogger>();
        builder.Services.AddHttpClient<JourneyClient>(c =>
        {
            c.BaseAddress = new Uri(journey);
            c.Timeout = TimeSpan.FromSeconds(10);
        })
            // A merged record's 308 is the dashboard's to follow (to the survivor's page): followed here it would lose the token.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddHttpMessageHandler<SignIn.ForwardUserToken>().RemoveAllLoggers().AddLogger<JourneyCallLogger>();
        // The navigator's actions and the departments' corrections: posted to a department as the signed-in user, logged
        // like the journey's calls.
        foreach (var department in DepartmentClients.Departments)
            builder.Services.AddHttpClient(DepartmentClients.ClientName(department), c =>
            {
                c.BaseAddress = new Uri(builder.Configuration[DepartmentClients.Setting(department)] ?? DashboardService.DefaultDepartmentUrls[department]);
                c.Timeout = TimeSpan.FromSeconds(10);
            })
            // A merged record's 308 is the dashboard's to follow (to the survivor's page): followed here it would lose the token.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddHttpMessageHandler<SignIn.ForwardUserToken>().RemoveAllLoggers().AddLogger<JourneyCallLogger>();
        builder.Services.AddSingleton<DepartmentClients>();
        builder.Services.AddAuthorization(NavigationActions.AddPolicy);
        builder.Services.AddAuthorization(FactCorrections.AddPolicy);
        builder.Services.AddHealthChecks().AddCheck<JourneyHealthCheck>("journey", tags: [ServiceDefaults.ReadyTag]);
        return builder;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        Assets.Map(app);
        SignIn.Map(app);
        WorklistPage.Map(app);
        PatientListPage.Map(app);
        PatientPage.Map(app);
        AuditPage.Map(app);
        NavigationActions.Map(app);
        FactCorrections.Map(app);
        return app;
    }
}
