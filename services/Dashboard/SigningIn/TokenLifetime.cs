using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.IdentityModel.JsonWebTokens;

namespace PatientJourney.Dashboard.SigningIn;

/// <summary>When the signed-in user's access token stops being valid: a live stream must end then.</summary>
public static class TokenLifetime
{
    /// <summary>
    /// The earliest of the session's expiry, the access token's `exp` and the `expires_at` OpenID Connect saved: an
    /// OIDC session can outlive its access token, and the journey refuses the token after its `exp`.
    /// </summary>
    public static async Task<DateTimeOffset?> ExpiresAtAsync(HttpContext http)
    {
        var session = await http.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (!session.Succeeded) return null;
        var ends = new List<DateTimeOffset>();
        if (session.Properties.ExpiresUtc is { } cookie) ends.Add(cookie);
        if (session.Properties.GetTokenValue(SignIn.AccessToken) is { } token && new JsonWebTokenHandler().CanReadToken(token)
            && new JsonWebToken(token).TryGetPayloadValue<long>("exp", out var exp))
            ends.Add(DateTimeOffset.FromUnixTimeSeconds(exp));
        if (DateTimeOffset.TryParse(session.Properties.GetTokenValue("expires_at"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiresAt))
            ends.Add(expiresAt);
        return ends.Count == 0 ? null : ends.Min();
    }
}
