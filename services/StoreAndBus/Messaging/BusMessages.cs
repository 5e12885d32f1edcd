using Microsoft.Extensions.Configuration;
using PatientJourney.Contracts;

namespace PatientJourney.StoreAndBus.Messaging;

/// <summary>What a department puts on the bus for its events (docs/api-contract.md, "On the bus").</summary>
public enum BusMessages
{
    /// <summary>Contract v2: batch messages of a page's events (at most <see cref="ContractBatches.MaxEvents"/> each).</summary>
    Batches,
    /// <summary>Contract v1: one message per event, named by the event.</summary>
    Events,
}

public static class BusMessagesSetting
{
    /// <summary>Bus:Messages, Batches unless set; a value that is neither stops the service at start rather than guess.</summary>
    public static BusMessages From(IConfiguration configuration) => configuration["Bus:Messages"] switch
    {
        null or "" => BusMessages.Batches,
        var value when Enum.GetNames<BusMessages>().FirstOrDefault(n => n.Equals(value, StringComparison.OrdinalIgnoreCase)) is { } name => Enum.Parse<BusMessages>(name),
        var value => throw new InvalidOperationException($"Bus:Messages is '{value}'; it must be Batches (contract v2) or Events (contract v1)"),
    };
}
