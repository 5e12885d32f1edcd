using MassTransit;
using PatientJourney.StoreAndBus.Messaging;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace PatientJourney.IntegrationTests.Infrastructure;

public static class HostExtensions
{
    public static bool BusIsReady<T>(this WebApplicationFactory<T> host) where T : class =>
        host.Services.GetRequiredService<IBusControl>().CheckHealth().Status == BusHealthStatus.Healthy;
}

/// <summary>A bus connected as one department's broker user, as that department's outbox is (or as a forger with its credentials).</summary>
public static class DepartmentBus
{
    public static async Task<IBusControl> StartAsync(Isolation isolation, string department)
    {
        var account = BrokerAccounts.ActingAs(isolation.RabbitMq, Isolation.Secrets, department);
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg => PatientJourney.StoreAndBus.Messaging.Bus.ConfigureBroker(cfg, account));
        await bus.StartAsync();
        return bus;
    }

    /// <summary>
    /// Publishes facts as the department does (each under its own type, stamped now unless it carries its own id and
    /// time), for facts whose routes another service owns, or in an order no department would send them.
    /// </summary>
    public static async Task PublishAsync(Isolation isolation, string department, params PatientJourney.Contracts.ClinicalEvent[] facts)
    {
        var bus = await StartAsync(isolation, department);
        try
        {
            foreach (var fact in facts)
            {
                var stamped = fact with
                {
                    EventId = fact.EventId == Guid.Empty ? Guid.CreateVersion7() : fact.EventId,
                    RecordedAt = fact.RecordedAt == default ? DateTimeOffset.UtcNow : fact.RecordedAt,
                };
                await bus.Publish(stamped, stamped.GetType());
            }
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}

/// <summary>Bytes straight onto an exchange with RabbitMQ.Client, as any holder of a broker user's credentials could send them.</summary>
public static class RawBroker
{
    public static async Task<RabbitMQ.Client.IConnection> ConnectAsync(RabbitMqSettings account) => await new RabbitMQ.Client.ConnectionFactory
    {
        HostName = account.Host, Port = account.Port, VirtualHost = account.VirtualHost, UserName = account.Username, Password = account.Password,
    }.CreateConnectionAsync();

    /// <summary>MassTransit's JSON envelope around a message, as the journey's endpoint reads it.</summary>
    public static byte[] Envelope(Guid messageId, string messageType, object message) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new
    {
        messageId,
        messageType = new[] { $"urn:message:{messageType}" },
        message,
    }, PatientJourney.Hosting.JsonDefaults.Options);

    public static async Task PublishAsync(RabbitMQ.Client.IChannel channel, string exchange, ReadOnlyMemory<byte> body, string? userId, string? messageId = null,
        string contentType = "application/vnd.masstransit+json") =>
        await channel.BasicPublishAsync(exchange, "", mandatory: false, new RabbitMQ.Client.BasicProperties
        {
            UserId = userId, MessageId = messageId ?? Guid.NewGuid().ToString(), ContentType = contentType, Persistent = true,
        }, body);

    /// <summary>What the broker answers when this account publishes there (ACCESS_REFUSED, PRECONDITION_FAILED...): it must refuse.</summary>
    public static async Task<string> PublishFailureAsync(RabbitMqSettings account, string exchange, string userId)
    {
        await using var connection = await ConnectAsync(account);
        await using var channel = await connection.CreateChannelAsync(new RabbitMQ.Client.CreateChannelOptions(true, true));
        var exception = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await channel.BasicPublishAsync(exchange, "", mandatory: false, new RabbitMQ.Client.BasicProperties { UserId = userId }, "{}"u8.ToArray());
            await Task.Delay(500); // a refusal closes the channel asynchronously
            await channel.BasicPublishAsync(exchange, "", mandatory: false, new RabbitMQ.Client.BasicProperties { UserId = userId }, "{}"u8.ToArray());
        });
        return exception.Message + channel.CloseReason?.ReplyText;
    }
}
