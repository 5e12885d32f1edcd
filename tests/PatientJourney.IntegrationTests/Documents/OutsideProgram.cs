using PatientJourney.Harness;

namespace PatientJourney.IntegrationTests.Documents;

/// <summary>A program an integrator runs (journey-admin, node), started from the repository's root as docs/integration.md says.</summary>
public sealed record OutsideProgram(int ExitCode, string Output, string Errors)
{
    /// <summary>journey-admin as built beside the tests (the integration tests reference it).</summary>
    public static Task<OutsideProgram> JourneyAdminAsync(params string[] arguments) =>
        RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "journey-admin.dll"), .. arguments], new Dictionary<string, string>());

    public static Task<OutsideProgram> NodeAsync(string sample, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        RunAsync("node", [Path.Combine("samples", "node", sample), .. arguments], environment);

    /// <summary>Runs to its end (or kills it at the deadline); <paramref name="started"/> sees its output line by line as it comes.</summary>
    public static async Task<OutsideProgram> RunAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment,
        Action<string>? started = null, TimeSpan? deadline = null)
    {
        var run = await ProgramRun.RunAsync(program, arguments, environment, started, deadline);
        return new OutsideProgram(run.ExitCode, run.Output, run.Errors);
    }
}
