namespace PatientJourney.StoreAndBus.Messaging;

public sealed record RabbitMqSettings(string Host, ushort Port, string VirtualHost, string Username, string Password)
{
    /// <summary>The management API's port (users, permissions, vhosts): RabbitMq:ManagementPort, else RabbitMQ's 15672.</summary>
    public ushort ManagementPort { get; init; } = 15672;

    // A record prints its members; a password must never reach a log or an exception message that way.
    public override string ToString() => $"{Username}@{Host}:{Port}/{VirtualHost}";
}
