using RabbitMQ.Client;

namespace PatientJourney.StoreAndBus.Messaging;

/// <summary>
/// A queue's messages ready and its consumers, asked by a passive declare over a connection of its own (opened on
/// first use, again after a failure). A passive declare needs no permission beyond reading the vhost's queues. Not
/// thread-safe: one caller at a time.
/// </summary>
public sealed class QueueDepth(RabbitMqSettings connection, string queue, string clientName) : IAsyncDisposable
{
    private IConnection? _connection;
    private IChannel? _channel;

    public string Queue { get; } = queue;

    /// <summary>The queue's state; throws when there is no broker or no such queue (the next call opens anew).</summary>
    public async Task<QueueDeclareOk> AskAsync(CancellationToken ct)
    {
        if (_channel is not { IsOpen: true })
        {
            if (_connection is not { IsOpen: true })
            {
                if (_connection is not null) await _connection.DisposeAsync();
                _connection = await new ConnectionFactory
                {
                    VirtualHost = connection.VirtualHost, UserName = connection.Username, Password = connection.Password,
                    AutomaticRecoveryEnabled = false, ClientProvidedName = clientName,
                }.CreateConnectionAsync(connection.Endpoints, ct);
            }
            _channel = await _connection.CreateChannelAsync(cancellationToken: ct);
        }
        return await _channel.QueueDeclarePassiveAsync(Queue, ct); // a missing queue closes the channel with a 404
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null) await _channel.DisposeAsync();
        if (_connection is not null) await _connection.DisposeAsync();
    }
}
