using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Routing;
using PatientJourney.Hosting.Http;
using PatientJourney.Hosting.Security;
using PatientJourney.Hosting.Telemetry;
using Scalar.AspNetCore;

namespace PatientJourney.Hosting;

/// <summary>What every PatientJourney web host does alike: JSON, problem documents, health, OpenAPI, telemetry.</summary>
public static partial class ServiceDefaults
{
    public const string ReadyTag = "ready";
    public const string BusTag = "bus";

    /// <param name="describesApi">False for a host of HTML pages only (the dashboard): it publishes no OpenAPI document.</param>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, int defaultPort, bool describesApi = true)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
            builder.WebHost.UseUrls($"http://localhost:{defaultPort}");

        // Quiet defaults that appsettings or environment variables can still override: Marten's schema DDL and a
        // line per request are noise in a clinical service's log.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Marten"] = "Warning",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            },
        });

        // These write a request's path, query or bound values (patient ids, Idempotency-Keys) below Warning: capped here,
        // after the configuration's rules, so that no LogLevel setting of theirs or of a parent category can open them.
        foreach (var category in RequestEchoingCategories) builder.Logging.AddFilter(category, LogLevel.Warning);

        builder.AddPatientJourneyTelemetry();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<JsonOptions>(o => JsonDefaults.Configure(o.SerializerOptions));
        builder.Services.AddProblemDetails();
        if (describesApi) builder.Services.AddSingleton<DescribedApi>().AddPatientJourneyOpenApi();
        builder.Services.AddHealthChecks();
        builder.AddPatientJourneyAuthentication();
        EdgeLimits.AddEdgeLimits(builder.Services, EdgeLimits.From(builder.Configuration));
        return builder;
    }

    /// <summary>Logging categories that echo what a request carried (its path holds the patient id).</summary>
    public static readonly IReadOnlyList<string> RequestEchoingCategories =
    [
        "Microsoft.AspNetCore.Hosting.Diagnostics", "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Http",
        "Microsoft.AspNetCore.HttpLogging", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http.HttpClient",
    ];

    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        // A failure that is not the caller's fault still answers with a problem document, never a stack trace; it is
        // logged by its kind and route, not by the framework's line, whose exception text can quote the request.
        var failures = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PatientJourney.UnhandledFailure");
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = StatusFor,
            SuppressDiagnosticsCallback = context =>
            {
                // The framework's own refusal of a request (a query value that does not bind, a body too large): the
                // caller's fault, answered 4xx, no failure of ours.
                if (context.Exception is BadHttpRequestException) return true;
                LogUnhandled(failures, context.Exception.GetType().Name, context.HttpContext.Request.Method,
                    (context.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)", context.HttpContext.TraceIdentifier,
                    context.Exception.StackTrace);
                return true;
            },
        });
        app.UseStatusCodePages();
        EdgeLimits.UseRequestBodyLimit(app, app.Services.GetRequiredService<EdgeLimits>());
        app.UseAuthentication();
        app.UseRateLimiter(); // after authentication: the limit is per token subject
        app.UseAuthorization();
        // Open: probes carry no token, and the API description holds no patient data.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) }).AllowAnonymous();
        app.MapHealthChecks("/health/bus", new HealthCheckOptions { Predicate = c => c.Tags.Contains(BusTag) }).AllowAnonymous();
        if (app.Services.GetService<DescribedApi>() is null) return app;
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference().AllowAnonymous(); // browsable API reference at /scalar, served locally
        return app;
    }

    /// <summary>Registered where the host has an API to describe.</summary>
    private sealed class DescribedApi;

    [LoggerMessage(LogLevel.Error, "Unhandled {ExceptionType} on {Method} {Route} (trace {TraceId}) at\n{StackTrace}")]
    private static partial void LogUnhandled(ILogger logger, string exceptionType, string method, string route, string traceId, string? stackTrace);

    // Bodies the framework itself refuses (too large, unreadable) are the caller's fault.
    private static int StatusFor(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        _ => StatusCodes.Status500InternalServerError,
    };
}
