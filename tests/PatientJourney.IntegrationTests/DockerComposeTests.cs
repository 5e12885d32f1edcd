using System.Diagnostics;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests;

public class DockerComposeTests
{
    [Fact]
    public async Task Docker_compose_file_is_valid()
    {
        // Debian's docker-compose validates offline; there is no Docker engine on our machines to run it.
        using var process = Process.Start(new ProcessStartInfo("docker-compose", ["-f", "docker-compose.yml", "config", "-q"])
        {
            WorkingDirectory = Repository.Root, RedirectStandardError = true, RedirectStandardOutput = true,
        })!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, errors);
    }
}
