using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit.Serialization.JsonConverters;
using PatientJourney.Contracts.Imaging;
using PatientJourney.StoreAndBus.Messaging;

namespace PatientJourney.UnitTests.StoreAndBus;

public class BusJsonTests
{
    // MassTransit's serializer options hold this converter (SystemTextJsonMessageSerializer.Options is process-wide,
    // and a bus configured in this process would already have changed it).
    private static JsonSerializerOptions MassTransitDefaults() => new(JsonSerializerDefaults.Web) { Converters = { new StringDecimalJsonConverter() } };

    private static readonly JsonSerializerOptions Options = Bus.ContractJson(MassTransitDefaults());

    private static CtResulted Ct(decimal longestDiameterMm) => new()
    {
        PatientId = "P1", OccurredOn = new DateOnly(2011, 2, 1), Region = "chest",
        TargetLesions = [new TargetLesion("L1", "lung", longestDiameterMm)],
    };

    [Fact]
    public void Decimals_travel_as_json_numbers_as_the_schemas_say()
    {
        var unconfigured = JsonSerializer.SerializeToNode(Ct(42.5m), MassTransitDefaults())!["targetLesions"]![0]!["longestDiameterMm"]!;
        Assert.Equal(JsonValueKind.String, unconfigured.GetValueKind()); // why the bus configures its own

        var lesion = JsonSerializer.SerializeToNode(Ct(42.5m), Options)!["targetLesions"]![0]!["longestDiameterMm"]!;
        Assert.Equal(JsonValueKind.Number, lesion.GetValueKind());
        Assert.Equal(42.5m, lesion.GetValue<decimal>());
    }

    [Fact]
    public void Decimals_published_as_strings_before_are_still_read()
    {
        var json = JsonSerializer.Serialize(Ct(42.5m), Options).Replace("\"longestDiameterMm\":42.5", "\"longestDiameterMm\":\"42.5\"");
        Assert.Contains("\"42.5\"", json);
        Assert.Equal(42.5m, JsonSerializer.Deserialize<CtResulted>(json, Options)!.TargetLesions[0].LongestDiameterMm);
    }
}
