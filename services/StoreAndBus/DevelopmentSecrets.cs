using Microsoft.Extensions.Hosting;
using Npgsql;
using PatientJourney.StoreAndBus.Messaging;

namespace PatientJourney.StoreAndBus;

/// <summary>
/// The passwords anyone can read in this repository (the development broker passwords &lt;user&gt;-dev, the old
/// patientjourney and RabbitMQ's guest). A service started outside Development refuses them: a deployment that forgot
/// to hand a service its secret stops at once, saying which setting, instead of running on a guessable one.
/// </summary>
public static class DevelopmentSecrets
{
    private static readonly HashSet<string> Known = ["patientjourney", "guest"];

    /// <summary>True when the password is one this repository shows (empty counts: no password at all).</summary>
    public static bool IsDevelopmentPassword(string? username, string? password) =>
        string.IsNullOrEmpty(password)
        || Known.Contains(password)
        || (username is not null && password == BrokerAccounts.DevelopmentPassword(username))
        || BrokerAccounts.Services.Any(s => password == BrokerAccounts.DevelopmentPassword(BrokerAccounts.UserOf(s)));

    /// <summary>
    /// Throws, outside Development, when the broker connection's or the PostgreSQL connection string's password is a
    /// development one. The message names the setting to fix and never the value.
    /// </summary>
    public static void EnsureNoneOutsideDevelopment(IHostEnvironment environment, RabbitMqSettings broker, string? postgresConnectionString)
    {
        if (environment.IsDevelopment()) return;
        var refused = new List<string>();
        if (IsDevelopmentPassword(broker.Username, broker.Password))
            refused.Add($"the RabbitMQ password of {broker.Username} (set RabbitMq__Password, or RabbitMq__Accounts__<service>__Password)");
        if (postgresConnectionString is not null && IsDevelopmentPassword(null, new NpgsqlConnectionStringBuilder(postgresConnectionString).Password))
            refused.Add("the PostgreSQL password (set ConnectionStrings__Postgres)");
        if (refused.Count > 0)
            throw new InvalidOperationException(
                $"Refusing to start in {environment.EnvironmentName} with a development password: {string.Join("; ", refused)}. " +
                "infra/up.sh generates the real ones into its secrets file (docs/security.md, Secrets).");
    }
}
