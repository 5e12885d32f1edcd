using Npgsql;
using PatientJourney.BuildingBlocks;

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
}
