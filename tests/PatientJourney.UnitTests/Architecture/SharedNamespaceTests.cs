using System.Text.RegularExpressions;

namespace PatientJourney.UnitTests.Architecture;

/// <summary>
/// The shared projects' namespaces import each other one way only (the department kit's writer no longer imports its
/// event store's namespace while that one registers the writer): read from each file's namespace and using lines.
/// </summary>
public partial class SharedNamespaceTests
{
    [Theory]
    [InlineData("services/Hosting")]
    [InlineData("services/StoreAndBus")]
    [InlineData("services/DepartmentKit")]
    public void The_namespaces_of_a_shared_project_import_each_other_without_a_loop(string folder)
    {
        var imports = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Repository.Root, folder), "*.cs", SearchOption.AllDirectories)
                     .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj")))
        {
            var text = File.ReadAllText(file);
            var own = NamespaceLine().Match(text).Groups[1].Value;
            var used = imports.TryGetValue(own, out var set) ? set : imports[own] = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match import in UsingLine().Matches(text)) used.Add(import.Groups[1].Value);
        }

        var loop = FindLoop(imports);
        Assert.True(loop is null, $"namespaces that import each other: {string.Join(" -> ", loop ?? [])}");
    }

    /// <summary>A loop of imports among the namespaces declared here (others are outside the project), or null.</summary>
    public static IReadOnlyList<string>? FindLoop(IReadOnlyDictionary<string, HashSet<string>> imports)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        IReadOnlyList<string>? Visit(string at)
        {
            if (path.IndexOf(at) is var start and >= 0) return [.. path.Skip(start), at];
            if (!done.Add(at)) return null;
            path.Add(at);
            foreach (var next in imports[at].Where(imports.ContainsKey).Order(StringComparer.Ordinal))
                if (Visit(next) is { } loop) return loop;
            path.RemoveAt(path.Count - 1);
            return null;
        }
        return imports.Keys.Order(StringComparer.Ordinal).Select(Visit).FirstOrDefault(loop => loop is not null);
    }

    [Fact]
    public void A_loop_of_imports_is_found()
    {
        var imports = new Dictionary<string, HashSet<string>>
        {
            ["Kit"] = ["Kit.Outbox"],
            ["Kit.Outbox"] = ["Kit.Writing"],
            ["Kit.Writing"] = ["Kit.Outbox", "Elsewhere"],
        };
        Assert.Equal(["Kit.Outbox", "Kit.Writing", "Kit.Outbox"], FindLoop(imports));
        imports["Kit.Writing"].Remove("Kit.Outbox");
        Assert.Null(FindLoop(imports));
    }

    [GeneratedRegex(@"^namespace\s+([\w.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using\s+(PatientJourney[\w.]*)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingLine();
}
