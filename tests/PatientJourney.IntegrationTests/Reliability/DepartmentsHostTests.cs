using System.Net;
using System.Net.Sockets;

namespace PatientJourney.IntegrationTests.Reliability;

/// <summary>The four departments in one process (services/Departments), as the process a supervisor sees.</summary>
public class DepartmentsHostTests
{
    [Fact]
    public async Task When_one_department_cannot_start_the_whole_host_exits_instead_of_serving_three()
    {
        await using var deployment = await ProcessDeployment.CreateAsync("pj_test");
        using var host = deployment.ServiceProcesses(departmentsInOneProcess: true)[ServiceCatalog.DepartmentsHost.Name];
        // Something else already listens where imaging should.
        using var squatter = new TcpListener(IPAddress.Loopback, host.Departments["imaging"].Port);
        squatter.Start();

        host.Start();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => host.WaitReadyAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("exited with code", failure.Message);
        Assert.False(host.IsRunning);
    }
}
