using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.JsonWebTokens;
using PatientJourney.Hosting.Security;

namespace PatientJourney.Dashboard.SigningIn;

/// <summary>
/// Dashboard users sign in, and the dashboard calls the journey with their own token (never a token of its own).
/// With an OpenID Connect authority configured (Auth:Authority, Auth:ClientId) the browser goes there (code flow);
/// without one (development) the sign-in page takes a token from `journey-admin token --role clinician`.
/// </summary>
public static class SignIn
{
    internal const string AccessToken = "access_token";

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
                await Html.Content(Html.Page("Not allowed", "<h1>Not allowed</h1><p role=\"alert\">Your role does not open this page.</p>"), StatusCodes.Status403Forbidden)
                    .ExecuteAsync(context.HttpContext);
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
        app.MapGet("/signin", (HttpContext http, IAntiforgery antiforgery, AuthSettings settings, string? returnUrl) =>
                !ReturnUrls.TryParse(returnUrl, out var local, out var invalid)
                    ? Page(antiforgery.GetAndStoreTokens(http), ReturnUrls.Home, $"{ReturnUrls.Field}: {invalid}.", settings.Authority is not null, StatusCodes.Status400BadRequest)
                    : settings.Authority is not null && !settings.AcceptsLocalTokens
                        ? Results.Redirect($"{OpenIdSignIn.Path}?returnUrl={Uri.EscapeDataString(local)}")
                        : Page(antiforgery.GetAndStoreTokens(http), local, null, settings.Authority is not null))
            .AllowAnonymous().ExcludeFromDescription();
        OpenIdSignIn.Map(app);
        app.MapPost("/signin", SignInWithTokenAsync).AllowAnonymous().ExcludeFromDescription();
        // Signed-in users only (others are sent to sign in): the session is deleted on the server, not just the cookie.
        app.MapPost("/signout", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (await RefusedFormAsync(http, antiforgery) is { } refused) return refused;
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/signin");
        }).ExcludeFromDescription();
    }

    /// <summary>
    /// A form without this site's anti-forgery token (posted from another site: login CSRF, forced sign-out), or no
    /// form at all, is refused with 400 before anything is done.
    /// </summary>
    private static async Task<IResult?> RefusedFormAsync(HttpContext http, IAntiforgery antiforgery)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(http);
            return null;
        }
        catch (Exception e) when (e is AntiforgeryValidationException or InvalidDataException or BadHttpRequestException)
        {
            return Page(antiforgery.GetAndStoreTokens(http), ReturnUrls.Home,
                $"{DashboardSessions.AntiforgeryField}: missing or invalid; this form expired or was not sent from this site. Open the page again and retry.",
                http.RequestServices.GetRequiredService<AuthSettings>().Authority is not null, StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<IResult> SignInWithTokenAsync(HttpContext http, AuthSettings settings, IAntiforgery antiforgery)
    {
        if (await RefusedFormAsync(http, antiforgery) is { } refused) return refused;
        var form = await http.Request.ReadFormAsync();
        var token = form["token"].ToString().Trim();
        if (!ReturnUrls.TryParse(form[ReturnUrls.Field].ToString(), out var returnUrl, out var invalid))
            return Page(antiforgery.GetAndStoreTokens(http), ReturnUrls.Home, $"{ReturnUrls.Field}: {invalid}.", settings.Authority is not null, StatusCodes.Status400BadRequest);
        if (!settings.AcceptsLocalTokens) return Results.Redirect(OpenIdSignIn.Path);
        var validation = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token, settings.LocalTokenParameters());
        if (!validation.IsValid)
            return Page(antiforgery.GetAndStoreTokens(http), returnUrl, "That token is not valid (expired, or not signed by PatientJourney's issuer).", settings.Authority is not null,
                StatusCodes.Status401Unauthorized);
        var user = new ClaimsPrincipal(validation.ClaimsIdentity);
        if (!user.IsInRole(Roles.Clinician) && !user.IsInRole(Roles.Navigator) && !user.IsInRole(Roles.Auditor))
            return Page(antiforgery.GetAndStoreTokens(http), returnUrl, "The dashboard is for clinicians, navigators and auditors (a department's role corrects its facts here only beside one of them).", settings.Authority is not null, StatusCodes.Status403Forbidden);

        var identity = new ClaimsIdentity(validation.ClaimsIdentity.Claims.Where(c => c.Type is DevelopmentTokens.SubjectClaim or DevelopmentTokens.RoleClaim),
            CookieAuthenticationDefaults.AuthenticationScheme, DevelopmentTokens.SubjectClaim, DevelopmentTokens.RoleClaim);
        // RedirectUri set: the cookie handler would otherwise follow a `ReturnUrl` in the query string by its own, laxer rule.
        var properties = new AuthenticationProperties { ExpiresUtc = validation.SecurityToken.ValidTo, IsPersistent = false, RedirectUri = returnUrl };
        properties.StoreTokens([new AuthenticationToken { Name = AccessToken, Value = token }]);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity), properties);
        return Results.Redirect(returnUrl);
    }

    private static IResult Page(AntiforgeryTokenSet tokens, string returnUrl, string? error, bool provider = false, int status = StatusCodes.Status200OK) => Html.Document($$"""
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Sign in · PatientJourney</title>
        <link rel="stylesheet" href="{{Assets.StylesheetPath}}"></head>
        <body class="signin">
          <h1>Sign in to the surveillance dashboard</h1>
          {{(error is null ? "" : $"<p class=\"error\" role=\"alert\">{WebUtility.HtmlEncode(error)}</p>")}}
          {{(provider ? $"<p><a href=\"{OpenIdSignIn.Path}?returnUrl={WebUtility.HtmlEncode(Uri.EscapeDataString(returnUrl))}\">Sign in with your user name and password</a> (development fallback below: paste a token)</p>" : "")}}
          <form method="post" action="/signin">
            {{Html.AntiforgeryField(tokens)}}
            <label for="token">Access token</label>
            <textarea id="token" name="token" required autocomplete="off"></textarea>
            <input type="hidden" name="{{ReturnUrls.Field}}" value="{{WebUtility.HtmlEncode(returnUrl)}}">
            <p><button type="submit">Sign in</button></p>
          </form>
          <p>In development, print one with <code>dotnet tools/JourneyAdmin/bin/Release/net10.0/journey-admin.dll token --role clinician --sub your.name</code>.</p>
        </body>
        </html>
        """, status);

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
