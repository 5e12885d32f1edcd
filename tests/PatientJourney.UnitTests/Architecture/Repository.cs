using System.Xml.Linq;

namespace PatientJourney.UnitTests.Architecture;

/// <summary>The repository's source as the architecture tests read it: its projects and their ProjectReference arrows.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>Every project of the repository by name (its csproj's file name), with the projects it references directly.</summary>
    public static IReadOnlyDictionary<string, Project> Projects { get; } = Directory
        .EnumerateFiles(Root, "*.csproj", SearchOption.AllDirectories)
        .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
        .Select(Project.Read)
        .ToDictionary(p => p.Name);

    /// <summary>The projects a project references, directly or through others.</summary>
    public static IReadOnlySet<string> Closure(string project)
    {
        var reached = new HashSet<string>();
        var next = new Stack<string>(Projects[project].References);
        while (next.TryPop(out var name))
            if (reached.Add(name))
                foreach (var further in Projects[name].References) next.Push(further);
        return reached;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "PatientJourney.sln"))) return directory.FullName;
        throw new InvalidOperationException($"no PatientJourney.sln above {AppContext.BaseDirectory}");
    }
}

/// <param name="Folder">The project's folder, relative to the repository (services/Journey).</param>
internal sealed record Project(string Name, string Folder, IReadOnlyList<string> References, IReadOnlyList<string> Packages)
{
    public static Project Read(string path)
    {
        var document = XDocument.Load(path);
        IReadOnlyList<string> Items(string item) => document.Descendants(item).Select(e => (string?)e.Attribute("Include")).OfType<string>().ToList();
        return new Project(
            Path.GetFileNameWithoutExtension(path),
            Path.GetRelativePath(Repository.Root, Path.GetDirectoryName(path)!).Replace('\\', '/'),
            Items("ProjectReference").Select(reference => Path.GetFileNameWithoutExtension(reference.Replace('\\', '/'))).ToList(),
            Items("PackageReference"));
    }
}
