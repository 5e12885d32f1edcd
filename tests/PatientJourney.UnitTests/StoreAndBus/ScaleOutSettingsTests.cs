using PatientJourney.StoreAndBus.EventStore;
using PatientJourney.StoreAndBus.Messaging;

namespace PatientJourney.UnitTests.StoreAndBus;

public class ScaleOutSettingsTests
{
    [Fact]
    public void RabbitMQ_nodes_are_host_port_pairs_and_none_means_the_one_node()
    {
        Assert.Equal(["localhost:5672", "10.0.0.2:5673"], RabbitMqSettings.ParseNodes(" localhost:5672 , 10.0.0.2:5673 "));
        Assert.Empty(RabbitMqSettings.ParseNodes(null));
        var one = new RabbitMqSettings("broker", 5679, "v", "u", "p");
        Assert.Equal(("broker", 5679), (one.Endpoints.Single().HostName, one.Endpoints.Single().Port));
        var cluster = one with { Nodes = ["a:5672", "b:5673"] };
        Assert.Equal([("a", 5672), ("b", 5673)], cluster.Endpoints.Select(e => (e.HostName, e.Port)));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:")]
    [InlineData("localhost:port")]
    [InlineData(":5672")]
    public void A_node_that_is_not_host_port_stops_the_service_at_start(string node) =>
        Assert.Throws<InvalidOperationException>(() => RabbitMqSettings.ParseNodes(node));

    [Theory]
    [InlineData("Host=localhost;Database=pj", false)]
    [InlineData("Host=localhost:5432,localhost:5433;Database=pj", true)]
    public void Several_hosts_are_a_primary_and_its_standbys(string connectionString, bool withStandbys) =>
        Assert.Equal(withStandbys, ClinicalEventStore.IsPrimaryWithStandbys(connectionString));
}
