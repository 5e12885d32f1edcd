using YamlDotNet.RepresentationModel;
using System.Diagnostics;

namespace PatientJourney.IntegrationTests.Documents;

public class DockerComposeTests
{
    // What docker-compose.yml takes from the environment or an env file (infra/up.sh's secrets file is one).
    internal static readonly string[] Secrets =
    [
        "PJ_PG_PASSWORD", "PJ_RABBIT_ADMIN_PASSWORD", "PJ_BROKER_PASSWORD_DIAGNOSIS", "PJ_BROKER_PASSWORD_CHEMOTHERAPY",
        "PJ_BROKER_PASSWORD_INTERVENTIONAL", "PJ_BROKER_PASSWORD_IMAGING", "PJ_BROKER_PASSWORD_JOURNEY", "PJ_BROKER_PASSWORD_REDRIVE",
    ];

    // Debian's docker-compose validates offline; there is no Docker engine on our machines to run it.
    internal static async Task<(int ExitCode, string Output, string Errors)> ConfigAsync(IReadOnlyDictionary<string, string> secrets, params string[] options)
    {
        var start = new ProcessStartInfo("docker-compose", ["-f", "docker-compose.yml", .. options, "config"])
        {
            WorkingDirectory = Repository.Root, RedirectStandardError = true, RedirectStandardOutput = true,
        };
        foreach (var name in Secrets) start.Environment.Remove(name);
        foreach (var (name, value) in secrets) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, errors);
    }

    [Fact]
    public async Task Docker_compose_file_is_valid_with_its_secrets_given_and_uses_them()
    {
        var given = Secrets.ToDictionary(n => n, n => $"{n.ToLowerInvariant()}-{Guid.NewGuid():N}");
        var (exitCode, output, errors) = await ConfigAsync(given);
        Assert.True(exitCode == 0, errors);
        foreach (var value in given.Values) Assert.Contains(value, output);
        Assert.DoesNotContain("Password=patientjourney", output);
        Assert.DoesNotContain("PASS: patientjourney", output);
    }

    [Fact]
    public async Task Docker_compose_s_cluster_profile_is_valid_and_runs_deployment_json_s_cluster()
    {
        var services = await DeploymentDescriptionTests.ComposeServicesAsync("--profile", "cluster");
        var cluster = Deployment.Load(Repository.Root).Cluster;
        string? ProjectOf(YamlMappingNode service) => service.Children.ContainsKey("build")
            ? DeploymentDescriptionTests.Scalar(DeploymentDescriptionTests.Map(DeploymentDescriptionTests.Map(service, "build"), "args"), "PROJECT") : null;
        var profiled = services.Where(s => s.Value.Children.ContainsKey("profiles")).ToDictionary();
        foreach (var (process, count) in cluster.Instances)
        {
            var instances = profiled.Where(s => s.Key.StartsWith($"{process}-", StringComparison.Ordinal)).ToList();
            Assert.Equal(count, instances.Count);
            Assert.All(instances, i => Assert.StartsWith("services/", ProjectOf(i.Value)));
        }
        Assert.Equal(cluster.RabbitMq.Nodes, profiled.Keys.Count(k => k.StartsWith("rabbitmq-", StringComparison.Ordinal)));
        Assert.Contains("postgres-primary", profiled.Keys);
        Assert.Contains("postgres-standby", profiled.Keys);
        Assert.Contains("haproxy", profiled.Keys);
        Assert.All(profiled.Where(s => ProjectOf(s.Value)?.StartsWith("services/") == true && !s.Key.StartsWith("dashboard-")), s =>
            Assert.Equal("rabbitmq-1:5672,rabbitmq-2:5672,rabbitmq-3:5672",
                DeploymentDescriptionTests.Scalar(DeploymentDescriptionTests.Map(s.Value, "environment"), "RabbitMq__Nodes")));
    }

    [Fact]
    public async Task Docker_compose_refuses_to_start_without_its_passwords_and_names_the_missing_one()
    {
        var (exitCode, _, errors) = await ConfigAsync(new Dictionary<string, string>());
        Assert.NotEqual(0, exitCode);
        Assert.Contains("PJ_", errors);
    }
}
