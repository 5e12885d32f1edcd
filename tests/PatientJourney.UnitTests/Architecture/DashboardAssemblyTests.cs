using System.Reflection;
using System.Text.Json;
using PatientJourney.Dashboard;

namespace PatientJourney.UnitTests.Architecture;

/// <summary>The dashboard reads the journey's HTTP API: it ships and loads no store and no bus.</summary>
public class DashboardAssemblyTests
{
    private static readonly Assembly DashboardAssembly = typeof(DashboardService).Assembly;

    [Fact]
    public void The_dashboards_build_output_lists_no_store_or_bus_library()
    {
        // The dashboard's own deps.json (copied beside its assembly by the reference to it): every library it ships.
        var depsFile = Path.ChangeExtension(DashboardAssembly.Location, ".deps.json");
        Assert.True(File.Exists(depsFile), $"{depsFile} is missing: build the dashboard before the tests");
        using var deps = JsonDocument.Parse(File.ReadAllText(depsFile));
        var libraries = deps.RootElement.GetProperty("libraries").EnumerateObject().Select(l => l.Name.Split('/')[0]).ToList();
        Assert.Contains("PatientJourney.Hosting", libraries);
        Assert.DoesNotContain(libraries, ProjectDependencyTests.IsStoreOrBusPackage);
    }

    [Fact]
    public void The_dashboard_and_every_assembly_it_references_reference_no_store_or_bus_assembly()
    {
        var reached = new Dictionary<string, AssemblyName>(StringComparer.OrdinalIgnoreCase);
        var next = new Stack<Assembly>([DashboardAssembly]);
        while (next.TryPop(out var assembly))
        {
            foreach (var name in assembly.GetReferencedAssemblies())
            {
                if (!reached.TryAdd(name.Name!, name) || IsFramework(name.Name!) || ProjectDependencyTests.IsStoreOrBusPackage(name.Name!)) continue;
                next.Push(Assembly.Load(name));
            }
        }
        Assert.Contains("PatientJourney.Hosting", reached.Keys);
        Assert.DoesNotContain(reached.Keys, ProjectDependencyTests.IsStoreOrBusPackage);
    }

    // The shared framework's own assemblies reference none of ours and no package; their closure is large.
    private static bool IsFramework(string name) =>
        name is "netstandard" or "mscorlib" || name.StartsWith("System.", StringComparison.Ordinal) || name == "System"
        || name.StartsWith("Microsoft.", StringComparison.Ordinal);
}
