namespace PatientJourney.Harness;

/// <summary>Finds files of the repository (docker-compose.yml, the seed case, the services' builds) from the running assembly.</summary>
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
