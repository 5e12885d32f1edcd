using PatientJourney.Hosting;
using PatientJourney.Dashboard.Audit;
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

    /// <summary>Where the diagnosis department is when Diagnosis:BaseUrl is not set (the navigator's actions post there).</summary>
    public const string DefaultDiagnosisUrl = "http://localhost:5101";
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
        }).AddHttpMessageHandler<SignIn.ForwardUserToken>().RemoveAllLoggers().AddLogger<JourneyCallLogger>();
        // The navigator's actions: posted to the diagnosis department as the signed-in user, logged like the journey's calls.
        builder.Services.AddHttpClient<DiagnosisClient>(c =>
        {
            c.BaseAddress = new Uri(builder.Configuration["Diagnosis:BaseUrl"] ?? DashboardService.DefaultDiagnosisUrl);
            c.Timeout = TimeSpan.FromSeconds(10);
        }).AddHttpMessageHandler<SignIn.ForwardUserToken>().RemoveAllLoggers().AddLogger<JourneyCallLogger>();
        builder.Services.AddAuthorization(NavigationActions.AddPolicy);
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
        return app;
    }
}
