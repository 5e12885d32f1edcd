using PatientJourney.BuildingBlocks;
using PatientJourney.Dashboard.Audit;
using PatientJourney.Dashboard.Patients;
using PatientJourney.Dashboard.SigningIn;
using PatientJourney.Dashboard.Worklist;

namespace PatientJourney.Dashboard;

/// <summary>The surveillance dashboard: web pages read from the journey API.</summary>
public sealed class DashboardService
{
    public const int DefaultPort = 5000;
}

public static class DashboardServiceExtensions
{
    private static readonly (string Category, LogLevel Minimum)[] PathLoggingCategories =
    [
        ("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning), // "Request starting GET /patients/{id}"
        ("Microsoft.AspNetCore.Http.Result", LogLevel.Warning), // "redirecting to /patients/{id}"
        ("Microsoft.AspNetCore.Routing.Matching", LogLevel.Information), // "candidate(s) found for the request path"
    ];

    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        var journey = builder.Configuration["Journey:BaseUrl"] ?? "http://localhost:5100";
        builder.AddDashboardSignIn();
        builder.AddDashboardSessions();
        // The journey's URLs hold patient ids: HttpClient's loggers (every URI at Information) are replaced by one
        // that writes none.
        builder.Services.AddSingleton<JourneyCallLogger>();
        builder.Services.AddHttpClient<JourneyClient>(c =>
        {
            c.BaseAddress = new Uri(journey);
            c.Timeout = TimeSpan.FromSeconds(10);
        }).AddHttpMessageHandler<SignIn.ForwardUserToken>().RemoveAllLoggers().AddLogger<JourneyCallLogger>();
        // So do this site's own URLs (/patients/{id}): the framework's lines that write them are kept out whatever level
        // a deployment sets for Microsoft.AspNetCore; their warnings and errors carry no URL.
        foreach (var (category, below) in PathLoggingCategories) builder.Logging.AddFilter(category, below);
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
        return app;
    }
}
