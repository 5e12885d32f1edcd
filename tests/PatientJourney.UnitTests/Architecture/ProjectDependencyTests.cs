namespace PatientJourney.UnitTests.Architecture;

/// <summary>
/// The project picture of docs/architecture.md ("How the projects depend on each other"), as the csproj files draw it.
/// A department is a service that references the department kit, so a fifth department is held to the same rules.
/// </summary>
public class ProjectDependencyTests
{
    private const string Contracts = "PatientJourney.Contracts";
    private const string Hosting = "PatientJourney.Hosting";
    private const string StoreAndBus = "PatientJourney.StoreAndBus";
    private const string DepartmentKit = "PatientJourney.DepartmentKit";
    private const string DepartmentsHost = "PatientJourney.Departments";
    private const string Journey = "PatientJourney.Journey";
    private const string Dashboard = "PatientJourney.Dashboard";
    private const string PlanDefinitions = "PatientJourney.PlanDefinitions";

    /// <summary>The packages of a store or a bus: a process that holds none of them carries none of their assemblies.</summary>
    public static readonly IReadOnlyList<string> StoreAndBusPackages = ["Marten", "MassTransit", "Npgsql", "RabbitMQ.Client", "JasperFx", "Weasel"];

    private static IReadOnlyList<string> Departments { get; } = Repository.Projects.Values
        .Where(p => p.Folder.StartsWith("services/", StringComparison.Ordinal) && p.References.Contains(DepartmentKit))
        .Select(p => p.Name).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void The_four_departments_are_the_services_that_use_the_department_kit() =>
        Assert.Equal(["PatientJourney.Chemotherapy", "PatientJourney.Diagnosis", "PatientJourney.Imaging", "PatientJourney.Interventional"], Departments);

    [Fact]
    public void The_contracts_reference_no_project_of_ours() => AssertReachesOnly(Contracts);

    [Fact]
    public void The_hosting_kernel_references_only_the_contracts() => AssertReachesOnly(Hosting, Contracts);

    [Fact]
    public void The_hosting_kernel_uses_no_package_of_a_store_or_a_bus() =>
        Assert.DoesNotContain(Repository.Projects[Hosting].Packages, IsStoreOrBusPackage);

    [Fact]
    public void The_store_and_bus_references_only_the_kernel_and_the_contracts() => AssertReachesOnly(StoreAndBus, Hosting, Contracts);

    [Fact]
    public void The_department_kit_references_only_the_kernel_the_store_and_bus_and_the_contracts() =>
        AssertReachesOnly(DepartmentKit, StoreAndBus, Hosting, Contracts);

    [Fact]
    public void A_department_references_no_other_department_nor_the_journey_nor_the_dashboard()
    {
        foreach (var department in Departments)
            AssertReachesNone(department, [.. Departments.Where(d => d != department), DepartmentsHost, Journey, Dashboard]);
    }

    [Fact]
    public void The_departments_host_references_the_departments_and_nothing_of_the_journey_or_the_dashboard()
    {
        Assert.Equal(Departments, Repository.Projects[DepartmentsHost].References.Order(StringComparer.Ordinal));
        AssertReachesNone(DepartmentsHost, [Journey, Dashboard]);
    }

    [Fact]
    public void The_journey_references_no_department_nor_the_department_kit() =>
        AssertReachesNone(Journey, [.. Departments, DepartmentsHost, DepartmentKit, Dashboard]);

    [Fact]
    public void The_plan_definitions_reference_only_the_contracts_and_no_package_of_a_store_or_a_bus()
    {
        AssertReachesOnly(PlanDefinitions, Contracts);
        Assert.DoesNotContain(Repository.Projects[PlanDefinitions].Packages, IsStoreOrBusPackage);
    }

    [Fact]
    public void The_dashboard_references_the_hosting_kernel_only()
    {
        Assert.Equal([Hosting], Repository.Projects[Dashboard].References);
        AssertReachesOnly(Dashboard, Hosting, Contracts);
    }

    /// <summary>journey-admin is the exception, on purpose: it rebuilds and verifies a store the service cannot start on.</summary>
    [Theory]
    [InlineData("PatientJourney.Chaos")]
    [InlineData("PatientJourney.SeedLoader")]
    [InlineData("PatientJourney.ContractSchemas")]
    [InlineData("PatientJourney.Harness")]
    public void A_tool_reaches_the_services_from_outside_and_references_none_of_them(string tool) =>
        AssertReachesNone(tool, [.. Departments, DepartmentsHost, DepartmentKit, Journey, Dashboard]);

    public static bool IsStoreOrBusPackage(string name) =>
        StoreAndBusPackages.Any(p => name.Equals(p, StringComparison.OrdinalIgnoreCase) || name.StartsWith(p + ".", StringComparison.OrdinalIgnoreCase));

    private static void AssertReachesOnly(string project, params string[] allowed)
    {
        var arrows = Repository.Closure(project).Except(allowed).Order(StringComparer.Ordinal).Select(p => $"{project} -> {p}").ToList();
        Assert.True(arrows.Count == 0, $"arrows that must not be: {string.Join(", ", arrows)}");
    }

    private static void AssertReachesNone(string project, IEnumerable<string> forbidden)
    {
        var arrows = Repository.Closure(project).Intersect(forbidden).Order(StringComparer.Ordinal).Select(p => $"{project} -> {p}").ToList();
        Assert.True(arrows.Count == 0, $"arrows that must not be: {string.Join(", ", arrows)}");
    }
}
