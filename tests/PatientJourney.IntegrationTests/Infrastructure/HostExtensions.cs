using MassTransit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace PatientJourney.IntegrationTests.Infrastructure;

public static class HostExtensions
{
    public static bool BusIsReady<T>(this WebApplicationFactory<T> host) where T : class =>
        host.Services.GetRequiredService<IBusControl>().CheckHealth().Status == BusHealthStatus.Healthy;
}

/// <summary>Finds files of the repository (docker-compose.yml, the seed case) from the test's output folder.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PatientJourney.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("PatientJourney.sln not found above " + AppContext.BaseDirectory);
    }
}
