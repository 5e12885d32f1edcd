using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using PatientJourney.Hosting.Security;

namespace PatientJourney.UnitTests;

public class AuthSettingsTests
{
    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "test";
        public string ContentRootPath { get; set; } = "/";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }

    private static AuthSettings From(string environment, params (string Key, string Value)[] settings) => AuthSettings.From(
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build(),
        new Environment(environment));

    [Theory]
    [InlineData("http://localhost:5090", "Production", false)]
    [InlineData("http://127.0.0.1:5090", "Production", false)]
    [InlineData("http://[::1]:5090", "Production", false)]
    [InlineData("https://idp.hospital.example/realms/h", "Production", true)]
    [InlineData("http://idp.hospital.example/realms/h", "Production", true)]
    [InlineData("http://oidc:5090", "Development", false)]
    public void The_providers_metadata_must_come_over_https_except_on_loopback_or_in_development(string authority, string environment, bool https) =>
        Assert.Equal(https, From(environment, ("Auth:Authority", authority)).RequireHttpsMetadata);

    [Fact]
    public void The_public_development_key_is_accepted_beside_a_provider_only_in_development_and_only_when_asked()
    {
        Assert.False(From("Development", ("Auth:Authority", "http://localhost:5090")).AcceptsLocalTokens);
        Assert.True(From("Development", ("Auth:Authority", "http://localhost:5090"), ("Auth:AcceptDevelopmentTokens", "true")).AcceptsLocalTokens);
        Assert.Throws<InvalidOperationException>(() =>
            From("Production", ("Auth:Authority", "https://idp.hospital.example"), ("Auth:AcceptDevelopmentTokens", "true")));
    }
}
