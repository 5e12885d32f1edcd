using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using PatientJourney.Hosting.Security;

namespace PatientJourney.Dashboard.SigningIn;

/// <summary>
/// Sign-in at an OpenID Connect provider (Auth:Authority): authorization code flow with PKCE, the client's secret on the
/// back channel. The ID token gives the dashboard who the user is and their roles (claim Auth:RoleClaim, default role);
/// the access token is kept in the cookie's ticket and forwarded to the journey, which checks it on its own.
/// </summary>
public static class OpenIdSignIn
{
    public const string Path = "/signin/oidc";

    public static AuthenticationBuilder AddOpenIdSignIn(this AuthenticationBuilder authentication, AuthSettings settings, IConfiguration configuration)
    {
        // The session cookie must come along on the redirect back from the provider (another site): Strict cookies do
        // not after a cross-site redirect, and the dashboard would send the user to the provider again and again.
        authentication.Services.PostConfigure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, o => o.Cookie.SameSite = SameSiteMode.Lax);
        return authentication.AddOpenIdConnect(o =>
        {
            o.Authority = settings.Authority;
            o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            o.ClientId = configuration["Auth:ClientId"] is { Length: > 0 } id ? id : throw new InvalidOperationException("Auth:ClientId is required with Auth:Authority");
            o.ClientSecret = configuration["Auth:ClientSecret"];
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.UsePkce = true;
            // The code comes back in the query of a top-level GET, so SameSite=Lax cookies (correlation, nonce, the
            // dashboard's own) travel with it from the provider's site; form_post would need SameSite=None.
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.CorrelationCookie.SameSite = o.NonceCookie.SameSite = SameSiteMode.Lax;
            // Secure cookies everywhere but on an http development provider on loopback (the tests', ./run.sh's).
            o.CorrelationCookie.SecurePolicy = o.NonceCookie.SecurePolicy =
                settings.RequireHttpsMetadata ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.Scope.Clear();
            foreach (var scope in (configuration["Auth:Scopes"] ?? "openid profile roles").Split(' ', StringSplitOptions.RemoveEmptyEntries)) o.Scope.Add(scope);
            // RFC 8707: which API the access token is for, where the provider wants it named (the development provider does).
            if (configuration["Auth:Resource"] is { Length: > 0 } resource) o.Resource = resource;
            o.SaveTokens = true; // the access token is forwarded to the journey
            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = false; // the roles are in the ID token
            o.TokenValidationParameters.NameClaimType = DevelopmentTokens.SubjectClaim;
            o.TokenValidationParameters.RoleClaimType = settings.RoleClaim;
            o.Events.OnTokenValidated = context =>
            {
                // The session ends when the access token does: the journey refuses it from then on anyway.
                if (context.TokenEndpointResponse?.ExpiresIn is { } seconds && int.TryParse(seconds, out var s))
                    context.Properties!.ExpiresUtc = DateTimeOffset.UtcNow.AddSeconds(s);
                context.Properties!.IsPersistent = false;
                return Task.CompletedTask;
            };
            o.Events.OnRemoteFailure = context =>
            {
                // A refused or abandoned sign-in at the provider: say so, without the provider's error text.
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("PatientJourney.Dashboard.SignIn")
                    .LogInformation("OpenID Connect sign-in failed: {Failure}", context.Failure?.GetType().Name);
                context.HandleResponse();
                return Html.Content(Html.Page("Sign-in failed",
                    $"<h1>Sign-in failed</h1><p role=\"alert\">The sign-in did not complete.</p><p><a href=\"{Path}\">Try again</a></p>"),
                    StatusCodes.Status401Unauthorized).ExecuteAsync(context.HttpContext);
            };
        });
    }

    /// <summary>GET /signin/oidc?returnUrl=/local/path starts the code flow; any other return URL is refused (ReturnUrls).</summary>
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(Path, (string? returnUrl) => ReturnUrls.TryParse(returnUrl, out var local, out var invalid)
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = local }, [OpenIdConnectDefaults.AuthenticationScheme])
                : Html.Content(Html.Page("Sign in", $"<h1>Sign in</h1><p role=\"alert\">{ReturnUrls.Field}: {Html.Encode(invalid)}.</p><p><a href=\"{Path}\">Sign in</a></p>"),
                    StatusCodes.Status400BadRequest))
            .AllowAnonymous().ExcludeFromDescription();
}
