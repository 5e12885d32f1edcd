using System.Text.Json.Nodes;
using MassTransit;
using PatientJourney.Hosting;
using PatientJourney.StoreAndBus;
using PatientJourney.StoreAndBus.Messaging;
using PatientJourney.Contracts.Interventional;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Infrastructure;

/// <summary>The whole system with departments set to contract v1 on the bus: one message per event.</summary>
public sealed class PerEventMessagesSystem : PatientJourneySystem
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Bus:Messages"] = nameof(BusMessages.Events) };
}
