using Npgsql;
using PatientJourney.StoreAndBus;
using PatientJourney.StoreAndBus.EventStore;

namespace PatientJourney.UnitTests;

public class InfrastructureSettingsTests
{
    [Theory]
    [InlineData("Host=localhost;Database=pj", SslMode.Disable)]
    [InlineData("Host=127.0.0.1;Database=pj", SslMode.Disable)]
    [InlineData("Host=localhost;Database=pj;SSL Mode=Require", SslMode.Require)]
    [InlineData("Host=localhost;Database=pj;sslmode=VerifyFull", SslMode.VerifyFull)]
    [InlineData("Host=db.hospital.example;Database=pj", SslMode.Prefer)]
    [InlineData("Host=localhost,db.hospital.example;Database=pj", SslMode.Prefer)]
    public void PostgreSQL_on_loopback_goes_without_TLS_unless_asked_and_any_other_host_keeps_what_was_written(string given, SslMode expected) =>
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(InfrastructureSettings.WithoutTlsOnLoopback(given)).SslMode);

    [Theory]
    [InlineData("Host=localhost;Database=pj", 100, 2)]
    [InlineData("Host=localhost;Database=pj;Max Auto Prepare=0", 0, 5)]
    [InlineData("Host=localhost;Database=pj;MaxAutoPrepare=20;Auto Prepare Min Usages=7", 20, 7)]
    public void Clinical_stores_prepare_their_repeated_statements_unless_the_operator_said_otherwise(string given, int maxAutoPrepare, int minUsages)
    {
        var connection = new NpgsqlConnectionStringBuilder(ClinicalEventStore.ClinicalStoreConnection(given));
        Assert.Equal((maxAutoPrepare, minUsages, true), (connection.MaxAutoPrepare, connection.AutoPrepareMinUsages, connection.NoResetOnClose));
    }

    [Theory]
    [InlineData("Host=localhost;Database=pj", 65536, 65536)]
    [InlineData("Host=localhost;Database=pj;Write Buffer Size=8192", 8192, 65536)]
    [InlineData("Host=localhost;Database=pj;ReadBufferSize=16384", 65536, 16384)]
    public void Clinical_stores_move_a_batch_through_64_KB_buffers_unless_the_operator_said_otherwise(string given, int write, int read)
    {
        var connection = new NpgsqlConnectionStringBuilder(ClinicalEventStore.ClinicalStoreConnection(given));
        Assert.Equal((write, read), (connection.WriteBufferSize, connection.ReadBufferSize));
    }
}
