using System.Text.RegularExpressions;

namespace PatientJourney.UnitTests.Journey;

/// <summary>
/// The journey's folders depend one way: a slice may use the slices below it, never one that uses it back. Read from
/// the source's namespace and using lines, so a loop fails here before anyone has to untangle it.
/// </summary>
public partial class JourneyNamespaceTests
{
    private const string Root = "PatientJourney.Journey";

    [Fact]
    public void The_journeys_namespaces_use_each_other_without_a_loop()
    {
        var files = JourneySources();
        var namespaces = files.Select(f => f.Namespace).Distinct().ToList();
        // A file in PatientJourney.Journey.X sees PatientJourney.Journey's own types without a using line: naming one is a
        // use of the root namespace (which composes every slice) that no using line shows.
        var rootTypes = files.Where(f => f.Namespace == Root).SelectMany(f => DeclaredType().Matches(f.Text).Select(m => m.Groups[1].Value)).ToList();
        Assert.NotEmpty(rootTypes);
        var uses = namespaces.ToDictionary(ns => ns, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (ns, usings, text) in files)
        {
            uses[ns].UnionWith(usings.Select(u => NamespaceOf(u, namespaces)));
            if (ns != Root && rootTypes.Any(t => Regex.IsMatch(text, $@"\b{t}\b"))) uses[ns].Add(Root);
            uses[ns].Remove(ns);
        }

        var loop = FindLoop(uses);
        Assert.True(loop is null, $"The journey's namespaces use each other in a loop: {loop}");
    }

    [Fact]
    public void A_loop_between_two_namespaces_is_found()
    {
        var uses = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = ["A"],
        };
        Assert.Equal("A -> B -> C -> A", FindLoop(uses));
        uses["C"].Clear();
        Assert.Null(FindLoop(uses));
    }

    /// <summary>The first loop found, as "A -> B -> A", or null when the namespaces use each other one way only.</summary>
    private static string? FindLoop(IReadOnlyDictionary<string, HashSet<string>> uses)
    {
        var done = new HashSet<string>();
        var path = new List<string>();
        string? Visit(string ns)
        {
            if (path.IndexOf(ns) is var at and >= 0) return string.Join(" -> ", path.Skip(at).Append(ns));
            if (!done.Add(ns)) return null;
            path.Add(ns);
            foreach (var used in uses.GetValueOrDefault(ns) ?? []) if (Visit(used) is { } loop) return loop;
            path.RemoveAt(path.Count - 1);
            return null;
        }
        return uses.Keys.Order(StringComparer.Ordinal).Select(Visit).FirstOrDefault(l => l is not null);
    }

    /// <summary>A using's namespace: itself, or for "using static" of a type, the longest journey namespace it starts with.</summary>
    private static string NamespaceOf(string used, IEnumerable<string> namespaces) =>
        namespaces.Where(ns => used == ns || used.StartsWith(ns + ".", StringComparison.Ordinal)).MaxBy(ns => ns.Length) ?? used;

    private static List<(string Namespace, List<string> Usings, string Text)> JourneySources()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PatientJourney.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var journey = Path.Combine(dir.FullName, "services", "Journey");
        var sep = Path.DirectorySeparatorChar;
        var files = Directory.EnumerateFiles(journey, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{sep}bin{sep}") && !f.Contains($"{sep}obj{sep}"))
            .Select(f => File.ReadAllText(f))
            .Select(text => (
                Namespace: NamespaceLine().Match(text) is { Success: true } m ? m.Groups[1].Value : Root,
                Usings: UsingLine().Matches(text).Select(u => u.Groups[1].Value).ToList(),
                Text: text))
            .ToList();
        Assert.True(files.Count > 10, $"only {files.Count} files under {journey}");
        return files;
    }

    [GeneratedRegex(@"^namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^using\s+(?:static\s+)?(?:\w+\s*=\s*)?(PatientJourney\.Journey(?:\.\w+)*)\s*;", RegexOptions.Multiline)]
    private static partial Regex UsingLine();

    [GeneratedRegex(@"^public\s+(?:sealed\s+|static\s+|partial\s+)*(?:class|record|interface|struct)\s+(\w+)", RegexOptions.Multiline)]
    private static partial Regex DeclaredType();
}
