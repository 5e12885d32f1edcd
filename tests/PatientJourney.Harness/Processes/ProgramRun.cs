using System.Diagnostics;

namespace PatientJourney.Harness;

/// <summary>A program run to its end from the repository's root (a script of infra/, journey-admin, node), with what it printed.</summary>
public sealed record ProgramRun(int ExitCode, string Output, string Errors)
{
    /// <summary>Runs to its end (or kills it at the deadline); <paramref name="started"/> sees its output line by line as it comes.</summary>
    public static async Task<ProgramRun> RunAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null,
        Action<string>? started = null, TimeSpan? deadline = null)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = Repository.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
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
        return new ProgramRun(process.ExitCode, output.ToString(), errors.ToString());
    }

    /// <summary>Runs and insists on exit code 0: a script that failed says why in the exception.</summary>
    public static async Task<ProgramRun> RunOrThrowAsync(string program, IEnumerable<string> arguments, TimeSpan? deadline = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var run = await RunAsync(program, arguments, environment, deadline: deadline);
        if (run.ExitCode != 0) throw new InvalidOperationException($"{program} exited {run.ExitCode}: {run.Errors}{run.Output}");
        return run;
    }
}
