using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.JsonWebTokens;
using PatientJourney.BuildingBlocks.Security;

namespace PatientJourney.Dashboard.SigningIn;

/// <summary>
/// Dashboard users sign in, and the dashboard calls the journey with their own token (never a token of its own).
/// With an OpenID Connect authority configured (Auth:Authority, Auth:ClientId) the browser goes there (code flow);
/// without one (development) the sign-in page takes a token from `journey-admin token --role clinician`.
/// </summary>
public static class SignIn
{
    private const string AccessToken = "access_token";

    public static WebApplicationBuilder AddDashboardSignIn(this WebApplicationBuilder builder)
    {
        var settings = AuthSettings.From(builder.Configuration, builder.Environment);
        var oidc = settings.Authority is not null;
        var authentication = builder.Services.AddAuthentication(o =>
        {
            o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            o.DefaultChallengeScheme = oidc ? OpenIdConnectDefaults.AuthenticationScheme : CookieAuthenticationDefaults.AuthenticationScheme;
        }).AddCookie(o =>
        {
            o.LoginPath = "/signin";
            o.Cookie.Name = "pj-dashboard";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.SlidingExpiration = false;
            // Signed in but not allowed (a clinician on an audit page): say so, with 403, instead of redirecting.
            o.Events.OnRedirectToAccessDenied = async context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                context.Response.ContentType = "text/html; charset=utf-8";
                await context.Response.WriteAsync(Html.Page("Not allowed", "<h1>Not allowed</h1><p role=\"alert\">Your role does not open this page.</p>"));
            };
        });
        if (oidc) authentication.AddOpenIdSignIn(settings, builder.Configuration);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddTransient<ForwardUserToken>();
        return builder;
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        // With a provider, signing in happens there; pasting a token stays only where local tokens are accepted (development).
        app.MapGet("/signin", (string? returnUrl, string? error, AuthSettings settings) => settings.Authority is not null && !settings.AcceptsLocalTokens
                ? Results.Redirect($"{OpenIdSignIn.Path}?returnUrl={Uri.EscapeDataString(returnUrl ?? "/")}")
                : Results.Content(Page(returnUrl, error, settings.Authority is not null), "text/html; charset=utf-8"))
            .AllowAnonymous().ExcludeFromDescription();
        OpenIdSignIn.Map(app);
        app.MapPost("/signin", SignInWithTokenAsync).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/signout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/signin");
        }).ExcludeFromDescription();
    }

    private static async Task<IResult> SignInWithTokenAsync(HttpContext http, AuthSettings settings)
    {
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync() : null;
        var token = form?["token"].ToString().Trim() ?? "";
        var returnUrl = form?["returnUrl"].ToString() is { Length: > 0 } r && r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal) ? r : "/";
        if (!settings.AcceptsLocalTokens) return Results.Redirect(OpenIdSignIn.Path);
        var validation = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token, settings.LocalTokenParameters());
        if (!validation.IsValid)
            return Results.Content(Page(returnUrl, "That token is not valid (expired, or not signed by PatientJourney's issuer)."), "text/html; charset=utf-8", statusCode: 401);
        var user = new ClaimsPrincipal(validation.ClaimsIdentity);
        if (!user.IsInRole(Roles.Clinician) && !user.IsInRole(Roles.Auditor))
            return Results.Content(Page(returnUrl, "The dashboard is for clinicians and auditors."), "text/html; charset=utf-8", statusCode: 403);

        var identity = new ClaimsIdentity(validation.ClaimsIdentity.Claims.Where(c => c.Type is DevelopmentTokens.SubjectClaim or DevelopmentTokens.RoleClaim),
            CookieAuthenticationDefaults.AuthenticationScheme, DevelopmentTokens.SubjectClaim, DevelopmentTokens.RoleClaim);
        var properties = new AuthenticationProperties { ExpiresUtc = validation.SecurityToken.ValidTo, IsPersistent = false };
        properties.StoreTokens([new AuthenticationToken { Name = AccessToken, Value = token }]);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity), properties);
        return Results.Redirect(returnUrl);
    }

    private static string Page(string? returnUrl, string? error, bool provider = false) => $$"""
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Sign in · PatientJourney</title>
        <style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:40rem}textarea{width:100%;height:8rem}.error{color:#b00020}</style></head>
        <body>
          <h1>Sign in to the surveillance dashboard</h1>
          {{(error is null ? "" : $"<p class=\"error\" role=\"alert\">{WebUtility.HtmlEncode(error)}</p>")}}
          {{(provider ? $"<p><a href=\"{OpenIdSignIn.Path}?returnUrl={WebUtility.HtmlEncode(Uri.EscapeDataString(returnUrl ?? "/"))}\">Sign in with your user name and password</a> (development fallback below: paste a token)</p>" : "")}}
          <form method="post" action="/signin">
            <label for="token">Access token</label>
            <textarea id="token" name="token" required autocomplete="off"></textarea>
            <input type="hidden" name="returnUrl" value="{{WebUtility.HtmlEncode(returnUrl ?? "/")}}">
            <p><button type="submit">Sign in</button></p>
          </form>
          <p>In development, print one with <code>dotnet tools/JourneyAdmin/bin/Release/net10.0/journey-admin.dll token --role clinician --sub your.name</code>.</p>
        </body>
        </html>
        """;

    /// <summary>Calls the journey as the signed-in user.</summary>
    public sealed class ForwardUserToken(IHttpContextAccessor accessor) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (accessor.HttpContext is { } http && await http.GetTokenAsync(AccessToken) is { } token)
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
