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

namespace PatientJourney.Hosting.Security;

/// <summary>
/// Who signs the tokens. Production names an OpenID Connect authority (Auth:Authority) whose keys are fetched from its
/// discovery document; development and tests sign with a local key (Auth:SigningKey, else the development key).
/// In Development, Auth:AcceptDevelopmentTokens=true also accepts the local key beside an authority (./run.sh: the seed
/// loader and `journey-admin token` sign locally while people sign in at the development provider).
/// </summary>
public sealed record AuthSettings(
    string? Authority, string Issuer, string Audience, SymmetricSecurityKey? SigningKey,
    string RoleClaim = DevelopmentTokens.RoleClaim, bool RequireHttpsMetadata = true)
{
    public const string DefaultIssuer = "patientjourney-dev";
    public const string DefaultAudience = "patientjourney";

    public static AuthSettings From(IConfiguration configuration, IHostEnvironment environment)
    {
        var authority = configuration["Auth:Authority"] is { Length: > 0 } a ? a : null;
        var issuer = configuration["Auth:Issuer"] ?? authority ?? DefaultIssuer;
        var audience = configuration["Auth:Audience"] ?? DefaultAudience;
        var roleClaim = configuration["Auth:RoleClaim"] is { Length: > 0 } r ? r : DevelopmentTokens.RoleClaim;
        var acceptDevelopmentTokens = configuration.GetValue<bool>("Auth:AcceptDevelopmentTokens");
        if (acceptDevelopmentTokens && !environment.IsDevelopment())
            throw new InvalidOperationException("Auth:AcceptDevelopmentTokens is for Development only: the development key is public");
        var key = configuration["Auth:SigningKey"] is { Length: > 0 } configured ? DevelopmentTokens.KeyFrom(configured)
            : environment.IsDevelopment() ? DevelopmentTokens.DevelopmentKey
            : null;
        if (authority is not null)
            return new AuthSettings(authority, issuer, audience, acceptDevelopmentTokens ? key : null, roleClaim,
                RequireHttpsMetadata: !(IsLoopback(authority) || environment.IsDevelopment()));
        return new AuthSettings(null, issuer, audience,
            key ?? throw new InvalidOperationException("Auth:Authority (an OpenID Connect authority) or Auth:SigningKey must be configured outside Development"),
            roleClaim);
    }

    /// <summary>http is tolerated for an authority on this machine only (the development provider, the tests' provider).</summary>
    public static bool IsLoopback(string authority) =>
        Uri.TryCreate(authority, UriKind.Absolute, out var uri) && uri.IsLoopback;

    /// <summary>Tokens signed with the local key are accepted: no authority, or one beside it in Development.</summary>
    public bool AcceptsLocalTokens => SigningKey is not null;

    /// <summary>The checks on a token of the authority (keys from its discovery document), else of the local key.</summary>
    public TokenValidationParameters ValidationParameters() => Authority is null ? LocalTokenParameters() : Parameters(Issuer, null, RoleClaim);

    /// <summary>The checks on a token signed with the local key (issuer patientjourney-dev unless Auth:Issuer names another without an authority; roles in `role`).</summary>
    public TokenValidationParameters LocalTokenParameters() =>
        Parameters(Authority is null ? Issuer : DefaultIssuer, SigningKey ?? throw new InvalidOperationException("local tokens are not accepted here"), DevelopmentTokens.RoleClaim);

    private TokenValidationParameters Parameters(string issuer, SecurityKey? key, string roleClaim) => new()
    {
        ValidIssuer = issuer,
        ValidAudience = Audience,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        IssuerSigningKey = key,
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = DevelopmentTokens.SubjectClaim,
        RoleClaimType = roleClaim,
    };
}

public static class Authentication
{
    /// <summary>Bearer tokens signed with the local key, beside an authority's (Development with Auth:AcceptDevelopmentTokens).</summary>
    public const string LocalScheme = "LocalBearer";
    private const string SelectScheme = "BearerByIssuer";

    /// <summary>JWT bearer on every route except health (and the API description), with the role policies.</summary>
    public static WebApplicationBuilder AddPatientJourneyAuthentication(this WebApplicationBuilder builder)
    {
        var settings = AuthSettings.From(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(settings);
        var both = settings.Authority is not null && settings.AcceptsLocalTokens;
        var authentication = builder.Services.AddAuthentication(both ? SelectScheme : JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o => ConfigureBearer(o, settings, builder.Configuration));
        if (settings.Authority is not null)
            // After the framework made the ConfigurationManager. A key the provider no longer publishes is not trusted any
            // more: IdentityModel would otherwise still accept it from the "last known good" keys for an hour.
            builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, o =>
            {
                if (o.ConfigurationManager is BaseConfigurationManager manager) manager.UseLastKnownGoodConfiguration = false;
            });
        if (both)
        {
            authentication.AddJwtBearer(LocalScheme, o =>
            {
                o.MapInboundClaims = false;
                o.IncludeErrorDetails = false;
                o.TokenValidationParameters = settings.LocalTokenParameters();
                o.Events = BearerEvents.LogFailureKind();
            });
            // Routed by the (not yet trusted) iss; the chosen scheme then checks everything, its key included.
            authentication.AddPolicyScheme(SelectScheme, "Bearer (authority, or the local development key)",
                o => o.ForwardDefaultSelector = http => BearerEvents.UnvalidatedIssuer(http) == AuthSettings.DefaultIssuer ? LocalScheme : JwtBearerDefaults.AuthenticationScheme);
        }
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.ReadJourney, p => p.RequireRole(Roles.Clinician, Roles.Navigator, Roles.Auditor))
            .AddPolicy(Policies.Audit, p => p.RequireRole(Roles.Auditor))
            .AddPolicy(Policies.Administer, p => p.RequireRole(Roles.Admin));
        return builder;
    }

    private static void ConfigureBearer(JwtBearerOptions o, AuthSettings settings, IConfiguration configuration)
    {
        // Claims keep their JWT names (sub, role) instead of the long WS-* URIs.
        o.MapInboundClaims = false;
        // A 401 says only `Bearer error="invalid_token"`: why a token failed helps an attacker, not the caller; it is logged.
        o.IncludeErrorDetails = false;
        o.Events = BearerEvents.LogFailureKind();
        o.TokenValidationParameters = settings.ValidationParameters();
        if (settings.Authority is not { } authority) return;
        o.Authority = authority;
        o.Audience = settings.Audience;
        o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
        // Key rollover at the provider: a token whose kid is unknown makes IdentityModel's token handler fetch the
        // discovery document and JWKS again and validate once more (RefreshOnIssuerKeyNotFound asks the same of the
        // handler after a failure), at most once per RefreshInterval: a flood of made-up kids costs one fetch per
        // interval. The keys are fetched anyway every AutomaticRefreshInterval (the library's default is 12 hours).
        // With Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking (Directory.Build.props) the request that brings the
        // new kid waits for the new keys and passes, instead of a 401 while they are fetched in the background.
        o.RefreshOnIssuerKeyNotFound = true;
        o.RefreshInterval = configuration.GetValue("Auth:KeyRefreshInterval", TimeSpan.FromSeconds(30));
        o.AutomaticRefreshInterval = configuration.GetValue("Auth:KeyAutomaticRefreshInterval", TimeSpan.FromHours(1));
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
