using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PatientJourney.BuildingBlocks.Security;

/// <summary>
/// Who signs the tokens. Production names an OpenID Connect authority (Auth:Authority) whose keys are fetched from its
/// discovery document; development and tests sign with a local key (Auth:SigningKey, else the development key).
/// </summary>
public sealed record AuthSettings(string? Authority, string Issuer, string Audience, SymmetricSecurityKey? SigningKey)
{
    public const string DefaultIssuer = "patientjourney-dev";
    public const string DefaultAudience = "patientjourney";

    public static AuthSettings From(IConfiguration configuration, IHostEnvironment environment)
    {
        var authority = configuration["Auth:Authority"];
        var issuer = configuration["Auth:Issuer"] ?? authority ?? DefaultIssuer;
        var audience = configuration["Auth:Audience"] ?? DefaultAudience;
        if (!string.IsNullOrEmpty(authority)) return new AuthSettings(authority, issuer, audience, null);
        var key = configuration["Auth:SigningKey"] is { Length: > 0 } configured ? DevelopmentTokens.KeyFrom(configured)
            : environment.IsDevelopment() ? DevelopmentTokens.DevelopmentKey
            : throw new InvalidOperationException("Auth:Authority (an OpenID Connect authority) or Auth:SigningKey must be configured outside Development");
        return new AuthSettings(null, issuer, audience, key);
    }

    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        IssuerSigningKey = SigningKey,
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = DevelopmentTokens.SubjectClaim,
        RoleClaimType = DevelopmentTokens.RoleClaim,
    };
}

public static class Authentication
{
    /// <summary>JWT bearer on every route except health (and the API description), with the role policies.</summary>
    public static WebApplicationBuilder AddPatientJourneyAuthentication(this WebApplicationBuilder builder)
    {
        var settings = AuthSettings.From(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(settings);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            // Claims keep their JWT names (sub, role) instead of the long WS-* URIs.
            o.MapInboundClaims = false;
            o.TokenValidationParameters = settings.ValidationParameters();
            if (settings.Authority is { } authority)
            {
                o.Authority = authority;
                o.Audience = settings.Audience;
                o.RequireHttpsMetadata = !builder.Environment.IsDevelopment();
            }
        });
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.ReadJourney, p => p.RequireRole(Roles.Clinician, Roles.Auditor))
            .AddPolicy(Policies.Audit, p => p.RequireRole(Roles.Auditor))
            .AddPolicy(Policies.Administer, p => p.RequireRole(Roles.Admin));
        return builder;
    }

    /// <summary>The token's subject: who recorded a fact (recordedBy).</summary>
    public static string Subject(this ClaimsPrincipal user) =>
        user.FindFirst(DevelopmentTokens.SubjectClaim)?.Value ?? throw new InvalidOperationException("an authenticated caller without a subject");
}

/// <summary>Tokens signed with a local key, for development, tests and the `journey-admin token` command.</summary>
public static class DevelopmentTokens
{
    public const string SubjectClaim = "sub";
    public const string RoleClaim = "role";

    // Public on purpose: it only works where Auth:Authority and Auth:SigningKey are both unset in Development.
    private const string DevelopmentSecret = "patientjourney-development-signing-key-not-for-production-use";

    public static SymmetricSecurityKey DevelopmentKey { get; } = KeyFrom(DevelopmentSecret);

    public static SymmetricSecurityKey KeyFrom(string secret) => new(Encoding.UTF8.GetBytes(secret.PadRight(32, '.')));

    public static string Issue(
        string subject, IEnumerable<string> roles, TimeSpan? lifetime = null, SymmetricSecurityKey? key = null,
        string issuer = AuthSettings.DefaultIssuer, string audience = AuthSettings.DefaultAudience, DateTime? now = null)
    {
        var issuedAt = now ?? DateTime.UtcNow;
        var claims = new Dictionary<string, object> { [SubjectClaim] = subject, [RoleClaim] = roles.ToArray() };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + (lifetime ?? TimeSpan.FromHours(8)),
            SigningCredentials = new SigningCredentials(key ?? DevelopmentKey, SecurityAlgorithms.HmacSha256),
        });
    }
}
