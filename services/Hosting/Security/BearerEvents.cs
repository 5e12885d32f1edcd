using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;

namespace PatientJourney.Hosting.Security;

public static class BearerEvents
{
    /// <summary>
    /// The 401 carries no reason (IncludeErrorDetails is off), so the log says which kind of failure it was: the
    /// exception's type (SecurityTokenExpiredException, SecurityTokenInvalidIssuerException, ...), never the token, its
    /// claims or the message (which can quote them).
    /// </summary>
    public static JwtBearerEvents LogFailureKind() => new()
    {
        OnAuthenticationFailed = context =>
        {
            context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("PatientJourney.Security.Bearer")
                .LogInformation("Bearer token refused by {Scheme}: {Failure}", context.Scheme.Name, context.Exception.GetType().Name);
            return Task.CompletedTask;
        },
        // RFC 6750's code only (a client knows to get a new token), without the description IncludeErrorDetails would add.
        OnChallenge = context =>
        {
            if (context.AuthenticateFailure is not null) context.Error = "invalid_token";
            return Task.CompletedTask;
        },
    };

    /// <summary>The iss of the request's bearer token, read without checking anything: only to choose the scheme that checks it.</summary>
    public static string? UnvalidatedIssuer(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        var token = header["Bearer ".Length..].Trim();
        try
        {
            return new JsonWebTokenHandler().CanReadToken(token) ? new JsonWebToken(token).Issuer : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
