using PatientJourney.Dashboard.Navigation;
using System.Reflection;
using System.Text.RegularExpressions;
using PatientJourney.Contracts;
using PatientJourney.Dashboard;
using PatientJourney.SeedLoader;
using PatientJourney.StoreAndBus.Messaging;
using YamlDotNet.RepresentationModel;

namespace PatientJourney.IntegrationTests.Documents;

/// <summary>
/// deployment.json is the one description of what runs; everything else that names a service, a port or a credential
/// must agree with it, or the system a user starts with docker compose is not the one run.sh starts and the tests test.
/// </summary>
public class DeploymentDescriptionTests
{
    private static readonly Deployment Deployment = Deployment.Load(Repository.Root);

    [Fact]
    public async Task Docker_compose_runs_each_described_service_from_its_project_on_its_port()
    {
        var compose = await ComposeServicesAsync();
        foreach (var service in Deployment.Services)
        {
            Assert.True(compose.TryGetValue(service.Name, out var described), $"docker-compose.yml has no service '{service.Name}'");
            var args = Map(Map(described, "build"), "args");
            Assert.Equal(service.Project, Scalar(args, "PROJECT"));
            Assert.Equal(service.Assembly, Scalar(args, "ASSEMBLY"));
            Assert.Equal($"http://+:{service.Port}", Scalar(Map(described, "environment"), "ASPNETCORE_URLS"));
            var port = Assert.Single(((YamlSequenceNode)described.Children["ports"]).Children.Cast<YamlMappingNode>());
            Assert.Equal((service.Port.ToString(), service.Port.ToString()), (Scalar(port, "published"), Scalar(port, "target")));
        }
    }

    [Fact]
    public async Task Docker_compose_runs_no_service_of_ours_that_the_description_does_not_have()
    {
        // The cluster profile's instances are checked by DockerComposeTests.
        var built = (await ComposeServicesAsync())
            .Where(s => !s.Value.Children.ContainsKey("profiles"))
            .Where(s => s.Value.Children.ContainsKey("build") && Scalar(Map(Map(s.Value, "build"), "args"), "PROJECT").StartsWith("services/"))
            .Select(s => s.Key);
        Assert.Equal(Deployment.Services.Select(s => s.Name).Order(), built.Order());
    }

    [Fact]
    public async Task Docker_compose_gives_each_service_its_described_settings_and_credentials_only()
    {
        var compose = await ComposeServicesAsync();
        foreach (var service in Deployment.Services)
        {
            var environment = Map(compose[service.Name], "environment").Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value);
            Assert.Equal(Deployment.Environment, environment["ASPNETCORE_ENVIRONMENT"]);
            Assert.Equal(service.Database, environment.ContainsKey("ConnectionStrings__Postgres"));
            if (service.BrokerAccount is { } account)
                Assert.Equal(SecretOf($"PJ_BROKER_PASSWORD_{account.ToUpperInvariant()}"), environment["RabbitMq__Password"]);
            else
                Assert.DoesNotContain(environment.Keys, k => k.StartsWith("RabbitMq__", StringComparison.Ordinal));
            foreach (var (setting, callee) in service.Calls)
                Assert.Equal($"http://{callee}:{Deployment[callee].Port}", environment[setting]);
        }
    }

    [Fact]
    public void Each_service_listens_by_default_on_its_described_port()
    {
        foreach (var service in Deployment.Services)
        {
            var assembly = Assembly.Load(service.Assembly);
            var defaults = assembly.GetTypes().Select(t => t.GetField("DefaultPort", BindingFlags.Public | BindingFlags.Static)).OfType<FieldInfo>();
            Assert.Equal(service.Port, (int)Assert.Single(defaults).GetValue(null)!);
        }
        var dashboardDefaults = DashboardService.DefaultDepartmentUrls.ToDictionary(d => DepartmentClients.Setting(d.Key).Replace(":", "__"), d => d.Value);
        dashboardDefaults["Journey__BaseUrl"] = DashboardService.DefaultJourneyUrl;
        foreach (var (setting, callee) in Deployment["dashboard"].Calls)
            Assert.Equal($"http://localhost:{Deployment[callee].Port}", Assert.Contains(setting, dashboardDefaults));
    }

    [Fact]
    public void The_seed_loader_posts_to_each_department_on_its_described_port()
    {
        Assert.Equal(Deployment.Departments.ToDictionary(d => d.Name, d => d.Port).OrderBy(p => p.Key), SeedCase.DefaultPorts.OrderBy(p => p.Key));
    }

    [Fact]
    public void The_described_departments_are_the_contract_s_departments()
    {
        Assert.Equal(Departments.All.Order(), Deployment.Departments.Select(d => d.Name).Order());
    }

    [Fact]
    public void Each_described_broker_account_is_one_that_broker_setup_makes()
    {
        foreach (var account in Deployment.Services.Select(s => s.BrokerAccount).OfType<string>())
            Assert.Contains(account, BrokerAccounts.Services);
    }

    [Fact]
    public void The_scripts_take_ports_from_the_description_and_name_none_of_their_own()
    {
        var ports = Deployment.Services.Select(s => s.Port).Append(Deployment.SignIn.Port).Select(p => p.ToString()).ToHashSet();
        foreach (var script in new[] { "run.sh", "stop.sh", "tools/OidcProvider/start.sh" })
        {
            var named = Regex.Matches(File.ReadAllText(Path.Combine(Repository.Root, script)), @"\b\d{4}\b").Select(m => m.Value).ToHashSet();
            Assert.True(!named.Overlaps(ports), $"{script} names a port of deployment.json's: {string.Join(", ", named.Intersect(ports))}");
        }
    }

    internal static string SecretOf(string name) => $"{name.ToLowerInvariant()}-described";

    internal static async Task<IReadOnlyDictionary<string, YamlMappingNode>> ComposeServicesAsync(params string[] options)
    {
        // docker-compose's own reading of the file (anchors merged, variables filled), not ours.
        var (exitCode, output, errors) = await DockerComposeTests.ConfigAsync(DockerComposeTests.Secrets.ToDictionary(n => n, SecretOf), options);
        Assert.True(exitCode == 0, errors);
        var yaml = new YamlStream();
        yaml.Load(new StringReader(output));
        var services = Map((YamlMappingNode)yaml.Documents[0].RootNode, "services");
        return services.Children.ToDictionary(s => ((YamlScalarNode)s.Key).Value!, s => (YamlMappingNode)s.Value);
    }

    internal static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    internal static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value!;
}
