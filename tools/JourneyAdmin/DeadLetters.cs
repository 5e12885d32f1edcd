using System.Text;
using RabbitMQ.Client;
using PatientJourney.StoreAndBus;
using PatientJourney.StoreAndBus.Messaging;

namespace PatientJourney.JourneyAdmin;

/// <summary>A message the journey gave up on, with MassTransit's reason for it.</summary>
public sealed record DeadLetter(string MessageId, string? MessageType, string? Sender, string? Reason, string? ExceptionType, DateTimeOffset? FailedAt);

/// <summary>
/// The journey's error queue (journey-events_error): what could not be recorded after its retries, with the reason.
/// Listing looks without taking; re-driving sends a message back to the journey's queue with its original user_id
/// (so the sender check still applies) once whatever failed has been fixed.
/// </summary>
public sealed class DeadLetters(RabbitMqSettings connection) : IAsyncDisposable
{
    public const string ErrorQueue = BrokerAccounts.JourneyQueue + "_error";
    /// <summary>How the tool's connection is named to the broker (its management UI lists it so).</summary>
    public const string ConnectionName = "journey-admin dead-letters";

    private IConnection? _connection;

    public Task<IReadOnlyList<DeadLetter>> ListAsync(CancellationToken ct = default) => OnceStartedAsync(ListOnceAsync, ct);

    /// <summary>Sends the named messages (all when none is named) back to the journey's queue; returns how many.</summary>
    public Task<int> RedriveAsync(IReadOnlyCollection<string>? messageIds = null, CancellationToken ct = default) =>
        OnceStartedAsync(c => RedriveOnceAsync(messageIds, c), ct);

    // MassTransit declares the error queue with the first dead letter; for a moment after, the quorum queue has no
    // process behind it and RabbitMQ answers INTERNAL_ERROR "noproc": it is starting, so look again shortly.
    private static async Task<T> OnceStartedAsync<T>(Func<CancellationToken, Task<T>> action, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action(ct);
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException ex)
                when (attempt < 25 && ex.ShutdownReason is { ReplyCode: 541 } reason && reason.ReplyText.Contains("noproc", StringComparison.Ordinal))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
            }
        }
    }

    private async Task<IReadOnlyList<DeadLetter>> ListOnceAsync(CancellationToken ct)
    {
        await using (var probe = await OpenChannelAsync(ct))
            if (!await ErrorQueueExistsAsync(probe, ct)) return [];
        await using var channel = await OpenChannelAsync(ct);
        var seen = new List<(ulong Tag, DeadLetter Letter)>();
        try
        {
            while (await channel.BasicGetAsync(ErrorQueue, autoAck: false, ct) is { } message)
                seen.Add((message.DeliveryTag, Describe(message)));
            return seen.Select(s => s.Letter).ToList();
        }
        finally
        {
            // Looking takes nothing: every message goes back.
            if (seen.Count > 0) await channel.BasicNackAsync(seen[^1].Tag, multiple: true, requeue: true, CancellationToken.None);
        }
    }

    private async Task<int> RedriveOnceAsync(IReadOnlyCollection<string>? messageIds, CancellationToken ct)
    {
        await using (var probe = await OpenChannelAsync(ct))
            if (!await ErrorQueueExistsAsync(probe, ct)) return 0;
        await using var channel = await OpenChannelAsync(ct);
        var kept = new List<ulong>();
        var redriven = 0;
        try
        {
            while (await channel.BasicGetAsync(ErrorQueue, autoAck: false, ct) is { } message)
            {
                if (messageIds is { Count: > 0 } && !messageIds.Contains(message.BasicProperties.MessageId ?? ""))
                {
                    kept.Add(message.DeliveryTag);
                    continue;
                }
                var properties = new BasicProperties(message.BasicProperties)
                {
                    Headers = message.BasicProperties.Headers?.Where(h => !h.Key.StartsWith("MT-Fault", StringComparison.Ordinal) && h.Key != "MT-Reason")
                        .ToDictionary(h => h.Key, h => h.Value),
                };
                // Confirmed by the broker before the dead letter is taken off the error queue: never lost in between.
                await channel.BasicPublishAsync(BrokerAccounts.JourneyQueue, "", mandatory: true, properties, message.Body, ct);
                await channel.BasicAckAsync(message.DeliveryTag, multiple: false, ct);
                redriven++;
            }
        }
        finally
        {
            foreach (var tag in kept) await channel.BasicNackAsync(tag, multiple: false, requeue: true, CancellationToken.None);
        }
        return redriven;
    }

    private static DeadLetter Describe(BasicGetResult message)
    {
        var headers = message.BasicProperties.Headers ?? new Dictionary<string, object?>();
        string? Header(string name) => headers.TryGetValue(name, out var v) ? v switch { byte[] b => Encoding.UTF8.GetString(b), null => null, _ => v.ToString() } : null;
        return new DeadLetter(
            message.BasicProperties.MessageId ?? "",
            Header("MT-Fault-MessageType") ?? message.BasicProperties.Type,
            message.BasicProperties.UserId,
            Header("MT-Fault-Message") ?? Header("MT-Reason"),
            Header("MT-Fault-ExceptionType"),
            DateTimeOffset.TryParse(Header("MT-Fault-Timestamp"), out var at) ? at : null);
    }

    /// <summary>MassTransit declares the error queue with the first dead letter; before that there is nothing to see.</summary>
    private static async Task<bool> ErrorQueueExistsAsync(IChannel channel, CancellationToken ct)
    {
        try
        {
            await channel.QueueDeclarePassiveAsync(ErrorQueue, ct);
            return true;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return false;
        }
    }

    private async Task<IChannel> OpenChannelAsync(CancellationToken ct)
    {
        // INTERNAL_ERROR is a connection-level error: RabbitMQ closes the whole connection with it, so the next look
        // needs a new one (not one that recovers on its own five seconds later).
        if (_connection is { IsOpen: false } closed)
        {
            _connection = null;
            await closed.DisposeAsync();
        }
        _connection ??= await new ConnectionFactory
        {
            AutomaticRecoveryEnabled = false,
            VirtualHost = connection.VirtualHost,
            UserName = connection.Username,
            Password = connection.Password,
            ClientProvidedName = ConnectionName,
        }.CreateConnectionAsync(connection.Endpoints, ct);
        return await _connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
    }
}
