using System.Diagnostics;
using PatientJourney.StoreAndBus.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace PatientJourney.Benchmarks.Baselines;

/// <summary>
/// The broker's raw limit for the forwarding hop: plain RabbitMQ.Client 7 (no MassTransit) publishing every payload
/// with publisher confirms into a quorum queue of its own while a consumer on another connection acks them.
/// Items/Elapsed = messages from the first publish to the last consumed ack.
/// </summary>
public static class RawBrokerBaseline
{
    // Tuned on the 2-core machine. Two channels overlap one channel's confirm round trips with the other's writes;
    // more channels only add contention for the same quorum queue leader.
    private const int PublisherChannels = 2;
    // Unconfirmed publishes per channel: enough to keep the quorum queue's Raft batches full.
    private const int InFlightPerChannel = 500;
    private const ushort Prefetch = 500;

    public static async Task<BaselineResult> RunAsync(RabbitMqSettings broker, IReadOnlyList<byte[]> payloads, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(payloads);
        if (payloads.Count == 0) throw new ArgumentException("Nothing to publish.", nameof(payloads));

        var factory = new ConnectionFactory
        {
            HostName = broker.Host,
            Port = broker.Port,
            VirtualHost = broker.VirtualHost,
            UserName = broker.Username,
            Password = broker.Password,
            // A benchmark must fail loudly, not recover silently and report a skewed figure.
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
        };
        var queue = $"bench.raw-broker.{Guid.NewGuid():N}";

        await using var publisherConnection = await factory.CreateConnectionAsync("bench-raw-publisher", ct);
        // The consumer has a connection of its own, as the journey service does: deliveries and acks do not queue
        // behind publishes on one socket.
        await using var consumerConnection = await factory.CreateConnectionAsync("bench-raw-consumer", ct);

        await using (var admin = await publisherConnection.CreateChannelAsync(cancellationToken: ct))
        {
            await admin.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: ct);
        }

        try
        {
            var total = payloads.Count;
            var consumed = 0;
            var allConsumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var consumerChannel = await consumerConnection.CreateChannelAsync(cancellationToken: ct);
            await consumerChannel.BasicQosAsync(prefetchSize: 0, prefetchCount: Prefetch, global: false, ct);
            // A channel closed by the broker (an ack error, say) must end the run, not leave it waiting for ever.
            consumerChannel.ChannelShutdownAsync += (_, args) =>
            {
                allConsumed.TrySetException(new InvalidOperationException($"Consumer channel closed: {args.ReplyCode} {args.ReplyText}"));
                return Task.CompletedTask;
            };
            var consumer = new AsyncEventingBasicConsumer(consumerChannel);
            consumer.ReceivedAsync += async (_, delivery) =>
            {
                var n = Interlocked.Increment(ref consumed);
                await consumerChannel.BasicAckAsync(delivery.DeliveryTag, multiple: false, CancellationToken.None);
                if (n == total) allConsumed.TrySetResult();
            };
            await consumerChannel.BasicConsumeAsync(queue, autoAck: false, consumer, ct);

            // Confirm tracking on, and the library's own limiter off (its default allows 128 outstanding and then
            // sleeps up to a second): the window below bounds what is in flight instead.
            var options = new CreateChannelOptions(
                publisherConfirmationsEnabled: true,
                publisherConfirmationTrackingEnabled: true,
                outstandingPublisherConfirmationsRateLimiter: null);
            var channels = new IChannel[PublisherChannels];
            for (var i = 0; i < channels.Length; i++) channels[i] = await publisherConnection.CreateChannelAsync(options, ct);

            try
            {
                using var cancel = ct.Register(() => allConsumed.TrySetCanceled(ct));
                var clock = Stopwatch.StartNew();
                var publishing = new Task[channels.Length];
                for (var i = 0; i < channels.Length; i++)
                {
                    var channel = channels[i];
                    var slice = i;
                    publishing[i] = Task.Run(() => PublishSliceAsync(channel, queue, payloads, slice, channels.Length, ct), ct);
                }
                await Task.WhenAll(publishing);
                await allConsumed.Task;
                clock.Stop();
                return new BaselineResult("Raw RabbitMQ (confirms, quorum, consume+ack)", total, clock.Elapsed);
            }
            finally
            {
                foreach (var channel in channels) await channel.DisposeAsync();
            }
        }
        finally
        {
            // Clean up even when cancelled or failed; the queue is ours alone.
            await using var admin = await publisherConnection.CreateChannelAsync(cancellationToken: CancellationToken.None);
            await admin.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: CancellationToken.None);
        }
    }

    /// <summary>Publishes every stride-th payload, keeping up to InFlightPerChannel unconfirmed.</summary>
    private static async Task PublishSliceAsync(IChannel channel, string queue, IReadOnlyList<byte[]> payloads, int first, int stride, CancellationToken ct)
    {
        // Confirms arrive in publish order per channel, so awaiting the oldest first is never a long wait for
        // something already done behind it.
        var inFlight = new Queue<ValueTask>(InFlightPerChannel);
        for (var i = first; i < payloads.Count; i += stride)
        {
            if (inFlight.Count == InFlightPerChannel) await inFlight.Dequeue();
            // Fresh properties per message: with confirm tracking the client writes its sequence-number header
            // into them, so a shared instance would be raced on.
            var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
            inFlight.Enqueue(channel.BasicPublishAsync(string.Empty, queue, mandatory: false, properties, payloads[i], ct));
        }
        while (inFlight.Count > 0) await inFlight.Dequeue();
    }
}
