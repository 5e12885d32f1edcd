using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Caching.Memory;

namespace PatientJourney.Dashboard.SigningIn;

/// <summary>
/// Sessions live on the server: the cookie carries only a random session key, the user's claims and access token stay
/// here, and signing out deletes them, so a cookie saved before sign-out no longer opens anything.
/// </summary>
/// <remarks>
/// Kept in this process's memory on purpose: a restart signs everybody out (fail closed) instead of letting a
/// revocation list be forgotten while the cookies it revoked still decrypt. Several dashboard replicas need sticky
/// sessions (or an <see cref="ITicketStore"/> over a shared store). Each session expires with its token.
/// </remarks>
public sealed class ServerSideSessions(TimeProvider clock) : ITicketStore, IDisposable
{
    /// <summary>
    /// Sessions one user may hold at once (one per browser): signing in again and again with a valid token cannot
    /// fill the server's memory, it only ends that user's oldest session.
    /// </summary>
    public const int PerUser = 20;

    private readonly MemoryCache _sessions = new(new MemoryCacheOptions());
    private readonly Dictionary<string, LinkedList<string>> _keysByUser = new(StringComparer.Ordinal);

    public Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Put(key, ticket);
        var user = ticket.Principal.Identity?.Name ?? "";
        lock (_keysByUser)
        {
            if (!_keysByUser.TryGetValue(user, out var keys)) _keysByUser[user] = keys = new LinkedList<string>();
            keys.AddLast(key);
            // Oldest first; keys of sessions that expired on their own go the same way.
            while (keys.Count > PerUser || (keys.First is { } oldest && !_sessions.TryGetValue(oldest.Value, out _)))
            {
                _sessions.Remove(keys.First!.Value);
                keys.RemoveFirst();
            }
        }
        return Task.FromResult(key);
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        Put(key, ticket);
        return Task.CompletedTask;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) =>
        Task.FromResult(_sessions.TryGetValue(key, out AuthenticationTicket? ticket) && !Expired(ticket!) ? ticket : null);

    public Task RemoveAsync(string key)
    {
        _sessions.Remove(key);
        return Task.CompletedTask;
    }

    public void Dispose() => _sessions.Dispose();

    private void Put(string key, AuthenticationTicket ticket) =>
        _sessions.Set(key, ticket, ticket.Properties.ExpiresUtc ?? clock.GetUtcNow().AddHours(8));

    private bool Expired(AuthenticationTicket ticket) => ticket.Properties.ExpiresUtc is { } expires && expires <= clock.GetUtcNow();
}

public static class DashboardSessions
{
    public const string AntiforgeryCookie = "pj-antiforgery";
    public const string AntiforgeryField = "__RequestVerificationToken";

    /// <summary>Server-side sessions, anti-forgery tokens for the sign-in and sign-out forms, and 401 (not a redirect) for live streams.</summary>
    public static WebApplicationBuilder AddDashboardSessions(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ServerSideSessions>();
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = AntiforgeryCookie;
            o.FormFieldName = AntiforgeryField;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.SuppressXFrameOptionsHeader = true; // SecurityHeaders sends DENY on every response
        });
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<ServerSideSessions>((o, sessions) =>
            {
                o.SessionStore = sessions;
                // An EventSource cannot follow a redirect to a sign-in page; 401 ends it and the page says why.
                var redirect = o.Events.OnRedirectToLogin;
                o.Events.OnRedirectToLogin = context =>
                {
                    if (!IsEventStream(context.Request)) return redirect(context);
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                };
            });
        // Nor to a provider's sign-in (another site): the same 401 when OpenID Connect signs users in.
        builder.Services.PostConfigure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, o =>
        {
            var redirect = o.Events.OnRedirectToIdentityProvider;
            o.Events.OnRedirectToIdentityProvider = context =>
            {
                if (!IsEventStream(context.Request)) return redirect(context);
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });
        return builder;
    }

    private static bool IsEventStream(HttpRequest request) => request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase);
}
