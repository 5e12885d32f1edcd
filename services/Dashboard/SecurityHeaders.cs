namespace PatientJourney.Dashboard;

/// <summary>
/// Headers on every dashboard response, error pages and redirects included: a strict Content-Security-Policy (scripts
/// and styles only from this site's own files, no framing), no MIME sniffing, no referrer (page URLs hold patient
/// ids), and no caching anywhere (the pages show patient data; a shared or back-button cache must not keep them).
/// </summary>
public static class SecurityHeaders
{
    public static string ContentSecurityPolicy(string? authority)
    {
        // A form may post only here, or (with OpenID Connect) lead to the provider, e.g. on sign-out.
        var forms = Uri.TryCreate(authority, UriKind.Absolute, out var provider) ? $"'self' {provider.GetLeftPart(UriPartial.Authority)}" : "'self'";
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
               $"form-action {forms}; frame-ancestors 'none'; base-uri 'none'";
    }

    /// <summary>Before everything else, so that refusals, error pages and sign-in redirects carry the headers too.</summary>
    public static WebApplication UseDashboardSecurityHeaders(this WebApplication app)
    {
        var policy = ContentSecurityPolicy(app.Configuration["Auth:Authority"]);
        app.Use((context, next) =>
        {
            // On starting, not now: the exception handler clears the headers of a response it replaces.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = policy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers.CacheControl = "no-store";
                headers.Remove("Pragma");
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }
}
