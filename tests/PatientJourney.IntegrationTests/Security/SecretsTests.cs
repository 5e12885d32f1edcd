using System.Net;
using System.Net.Http.Headers;
using Npgsql;
using PatientJourney.StoreAndBus;
using PatientJourney.StoreAndBus.Messaging;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Security;

/// <summary>
/// docs/security.md, Secrets: after infra/up.sh (which test.sh runs first) no password anyone can read in this repository
/// opens the broker or the database. On the servers themselves, as test.sh found them.
/// </summary>
public class SecretsTests
{
    private static async Task<HttpStatusCode> ManagementSignInAsync(string username, string password)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{Isolation.Administrator.Host}:{Isolation.Administrator.ManagementPort}/api/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{username}:{password}")));
        return (await http.GetAsync("whoami")).StatusCode;
    }

    [Fact]
    public async Task Guest_cannot_sign_in_to_the_management_API()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await ManagementSignInAsync("guest", "guest"));
        // The refusal is the password's: the administrator with its own signs in.
        Assert.Equal(HttpStatusCode.OK, await ManagementSignInAsync(Isolation.Administrator.Username, Isolation.Administrator.Password));
    }

    [Fact]
    public async Task The_broker_administrator_and_the_database_role_refuse_the_old_password_patientjourney()
    {
        Assert.False(DevelopmentSecrets.IsDevelopmentPassword(Isolation.Administrator.Username, Isolation.Administrator.Password));
        Assert.Equal(HttpStatusCode.Unauthorized, await ManagementSignInAsync(Isolation.Administrator.Username, "patientjourney"));

        var real = new NpgsqlConnectionStringBuilder(InfrastructureSettings.From(Isolation.Secrets).PostgresConnectionString) { Database = "postgres", Pooling = false };
        Assert.False(DevelopmentSecrets.IsDevelopmentPassword(null, real.Password));
        await using (var connection = new NpgsqlConnection(real.ConnectionString)) await connection.OpenAsync();
        await using var guessed = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(real.ConnectionString) { Password = "patientjourney" }.ConnectionString);
        var refusal = await Assert.ThrowsAsync<PostgresException>(() => guessed.OpenAsync());
        Assert.Equal(PostgresErrorCodes.InvalidPassword, refusal.SqlState);
    }

    [Fact]
    public async Task Every_service_account_signs_in_with_the_password_infra_handed_out_and_not_with_user_dev()
    {
        await using var isolation = await Isolation.CreateAsync();
        foreach (var service in BrokerAccounts.Services)
        {
            var handedOut = BrokerAccounts.PasswordOf(Isolation.Secrets, service);
            Assert.True(handedOut is not null, $"RabbitMq__Accounts__{service}__Password is not set: test.sh exports infra/up.sh's secrets file");
            Assert.False(DevelopmentSecrets.IsDevelopmentPassword(BrokerAccounts.UserOf(service), handedOut), service);

            var account = BrokerAccounts.ActingAs(isolation.RabbitMq, Isolation.Secrets, service);
            await using (var connection = await RawBroker.ConnectAsync(account)) Assert.True(connection.IsOpen);
            await Assert.ThrowsAnyAsync<RabbitMQ.Client.Exceptions.BrokerUnreachableException>(() =>
                RawBroker.ConnectAsync(account with { Password = BrokerAccounts.DevelopmentPassword(account.Username) }));
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")] // infra/up.sh is Debian's
    public void The_secrets_file_is_readable_by_its_owner_only()
    {
        var file = Environment.GetEnvironmentVariable("PJ_SECRETS_FILE") ?? "/etc/patientjourney/secrets.env";
        Assert.True(File.Exists(file), $"{file}: infra/up.sh writes it");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }
}
