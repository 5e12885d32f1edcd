namespace PatientJourney.StoreAndBus.Messaging;

public sealed record RabbitMqSettings(string Host, ushort Port, string VirtualHost, string Username, string Password)
{
    /// <summary>The management API's port (users, permissions, vhosts): RabbitMq:ManagementPort, else RabbitMQ's 15672.</summary>
    public ushort ManagementPort { get; init; } = 15672;

    /// <summary>
    /// The AMQP endpoints (host:port) of a RabbitMQ cluster (RabbitMq:Nodes, comma-separated): a connection goes to the
    /// first that answers and, when its node goes, to another. Empty: the one node at Host:Port.
    /// </summary>
    public IReadOnlyList<string> Nodes { get; init; } = [];

    /// <summary>Where a RabbitMQ.Client connection may go: every node of the cluster, else Host:Port.</summary>
    public IReadOnlyList<RabbitMQ.Client.AmqpTcpEndpoint> Endpoints =>
        Nodes.Count == 0 ? [new(Host, Port)] : [.. Nodes.Select(n => RabbitMQ.Client.AmqpTcpEndpoint.Parse(n))];

    /// <summary>RabbitMq:Nodes as written: "host:port" entries, comma-separated; a wrong one stops the service at start.</summary>
    public static IReadOnlyList<string> ParseNodes(string? nodes)
    {
        var parsed = (nodes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var node in parsed)
            if (node.LastIndexOf(':') is var colon && (colon <= 0 || !ushort.TryParse(node[(colon + 1)..], out _)))
                throw new InvalidOperationException($"RabbitMq:Nodes: \"{node}\" is not host:port");
        return parsed;
    }

    // A record prints its members; a password must never reach a log or an exception message that way.
    public override string ToString() => $"{Username}@{Host}:{Port}/{VirtualHost}";
}
