using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using PatientJourney.StoreAndBus;
using PatientJourney.Chaos;

namespace PatientJourney.IntegrationTests;

/// <summary>The four departments in one process (services/Departments), as the process a supervisor sees.</summary>
public class DepartmentsHostTests
{
    [Fact]
    public async Task When_one_department_cannot_start_the_whole_host_exits_instead_of_serving_three()
    {
        var infrastructure = InfrastructureSettings.From(new ConfigurationBuilder().AddEnvironmentVariables().Build());
        await using var environment = await ChaosEnvironment.CreateAsync(infrastructure, keep: false, "pj_test");
        using var host = environment.ServiceProcesses(departmentsInOneProcess: true)["Departments"];
        // Something else already listens where imaging should.
        using var squatter = new TcpListener(IPAddress.Loopback, host.Departments["imaging"].Port);
        squatter.Start();

        host.Start();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => host.WaitReadyAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("exited with code", failure.Message);
        Assert.False(host.IsRunning);
    }
}
