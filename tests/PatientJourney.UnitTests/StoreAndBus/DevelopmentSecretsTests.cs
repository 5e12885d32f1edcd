using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using PatientJourney.Hosting;
using PatientJourney.StoreAndBus;
using PatientJourney.StoreAndBus.Messaging;
using PatientJourney.Diagnosis;
using PatientJourney.Journey;

namespace PatientJourney.UnitTests;

/// <summary>docs/security.md, Secrets: no service runs outside Development on a password this repository shows.</summary>
public class DevelopmentSecretsTests
{
    private const string RealBroker = "3f9c1d0b6a7e4c2f8b5d9e1a7c3f0b2d4e6a8c0f1b3d5e7a";
    private const string RealPostgres = "Host=localhost;Database=patientjourney;Username=patientjourney;Password=9b1e7c3a5d0f2e4c6a8b0d1f3e5c7a9b2d4f6e8a0c1b3d5f";

    private static WebApplicationBuilder Service(string environment, string? brokerPassword, string postgres)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = "a signing key of the test's own, long enough for HMAC",
            ["ConnectionStrings:Postgres"] = postgres,
            ["RabbitMq:Password"] = brokerPassword,
            // test.sh exports the machine's real service passwords: the case under test is a service given none.
            ["RabbitMq:Accounts:diagnosis:Password"] = null,
            ["RabbitMq:Accounts:journey:Password"] = null,
        });
        builder.AddServiceDefaults(0);
        return builder;
    }

    public static TheoryData<string?> DevelopmentBrokerPasswords() => new() { null, "pj-diagnosis-dev", "pj-journey-dev", "patientjourney", "guest", "" };

    [Theory]
    [MemberData(nameof(DevelopmentBrokerPasswords))]
    public void A_department_outside_Development_refuses_to_start_with_a_development_broker_password_and_does_not_print_it(string? password)
    {
        var refusal = Assert.Throws<InvalidOperationException>(() => Service("Production", password, RealPostgres).AddDiagnosis());
        Assert.Contains("RabbitMQ password of pj-diagnosis", refusal.Message);
        Assert.Contains("RabbitMq__Password", refusal.Message);
        Assert.DoesNotContain("PostgreSQL", refusal.Message);
        if (!string.IsNullOrEmpty(password)) Assert.DoesNotContain(password, refusal.Message.Replace("pj-diagnosis ", "", StringComparison.Ordinal));
    }

    [Fact]
    public void The_journey_outside_Development_refuses_to_start_with_the_PostgreSQL_password_patientjourney()
    {
        var refusal = Assert.Throws<InvalidOperationException>(() => Service("Staging", RealBroker, InfrastructureSettings.DefaultPostgres).AddJourney());
        Assert.Contains("PostgreSQL password (set ConnectionStrings__Postgres)", refusal.Message);
        Assert.DoesNotContain("Password=", refusal.Message);
    }

    [Fact]
    public void A_service_outside_Development_starts_with_passwords_of_its_own()
    {
        Service("Production", RealBroker, RealPostgres).AddDiagnosis();
        Service("Production", RealBroker, RealPostgres).AddJourney();
    }

    [Fact]
    public void Development_keeps_the_development_passwords()
    {
        Service("Development", null, InfrastructureSettings.DefaultPostgres).AddDiagnosis();
        Service("Development", null, InfrastructureSettings.DefaultPostgres).AddJourney();
    }

    [Fact]
    public void A_service_account_password_is_not_user_dev_when_infra_hands_one_out()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RabbitMq:Accounts:diagnosis:Password"] = RealBroker,
        }).Build();
        var shared = InfrastructureSettings.From(new ConfigurationBuilder().Build()).RabbitMq;

        Assert.Equal(("pj-diagnosis", RealBroker), Pair(BrokerAccounts.Connection(shared, configuration, "diagnosis")));
        Assert.Equal(("pj-diagnosis", RealBroker), Pair(BrokerAccounts.ActingAs(shared, configuration, "diagnosis")));
        Assert.Equal(RealBroker, BrokerAccounts.PasswordsFrom(configuration)("pj-diagnosis"));
        // Only a service with nothing handed out falls back, and that fallback is refused outside Development.
        Assert.True(DevelopmentSecrets.IsDevelopmentPassword("pj-imaging", BrokerAccounts.Connection(shared, configuration, "imaging").Password));
        Assert.False(DevelopmentSecrets.IsDevelopmentPassword("pj-diagnosis", RealBroker));

        static (string, string) Pair(RabbitMqSettings s) => (s.Username, s.Password);
    }

    [Fact]
    public void Infrastructure_settings_never_print_their_passwords()
    {
        var settings = new RabbitMqSettings("localhost", 5672, "patientjourney", "pj-journey", RealBroker);
        Assert.DoesNotContain(RealBroker, settings.ToString());
        Assert.DoesNotContain(RealBroker, $"{settings with { VirtualHost = "other" }}");
        var infrastructure = new InfrastructureSettings(RealPostgres, settings);
        Assert.DoesNotContain("9b1e7c3a5d0f", infrastructure.ToString());
        Assert.DoesNotContain(RealBroker, infrastructure.ToString());
    }

    [Fact]
    public void The_administrator_has_keys_of_its_own_so_a_service_beside_it_still_connects_as_itself()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RabbitMq:Admin:Username"] = "patientjourney",
            ["RabbitMq:Admin:Password"] = RealBroker,
        }).Build();
        var shared = InfrastructureSettings.From(configuration).RabbitMq;

        Assert.Equal("patientjourney", BrokerAccounts.Administrator(shared, configuration).Username);
        Assert.Equal("pj-journey", BrokerAccounts.Connection(shared, configuration, "journey").Username);
    }

    [Fact]
    public void Infra_makes_a_password_for_every_broker_account_the_services_use()
    {
        var secrets = File.ReadAllText(Path.Combine(RepositoryRoot(), "infra", "secrets.sh"));
        var line = secrets.Split('\n').Single(l => l.StartsWith("PJ_BROKER_SERVICES=(", StringComparison.Ordinal));
        var listed = line["PJ_BROKER_SERVICES=(".Length..line.IndexOf(')', StringComparison.Ordinal)].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(BrokerAccounts.Services.Order(), listed.Order());
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PatientJourney.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("PatientJourney.sln");
    }
}
