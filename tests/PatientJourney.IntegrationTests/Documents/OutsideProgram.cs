using System.Diagnostics;
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
        var info = new ProcessStartInfo(program) { WorkingDirectory = Repository.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        using var process = new Process { StartInfo = info };
        var output = new System.Text.StringBuilder();
        var errors = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is null) return; lock (output) output.AppendLine(e.Data); started?.Invoke(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(deadline ?? TimeSpan.FromMinutes(2));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); throw new TimeoutException($"{program} {string.Join(' ', info.ArgumentList)} did not end: {output}{errors}"); }
        process.WaitForExit(); // the last lines of output
        return new OutsideProgram(process.ExitCode, output.ToString(), errors.ToString());
    }
}
