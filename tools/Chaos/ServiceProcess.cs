using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PatientJourney.Chaos;

/// <summary>One service as its own operating-system process, so that it can be killed with SIGKILL and started again.</summary>
public sealed class ServiceProcess(string name, string assembly, IReadOnlyDictionary<string, string> environment, string logFile) : IDisposable
{
    private readonly object _log = new();
    private Process? _process;

    public string Name => name;
    public int Port { get; } = FreePort();
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public int Starts { get; private set; }

    public void Start()
    {
        var start = new ProcessStartInfo("dotnet", [assembly]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Starts++;
    }

    /// <summary>kill -9: no shutdown hook runs, in-flight requests and unconfirmed publishes are cut off.</summary>
    public void Kill()
    {
        if (_process is not { HasExited: false } process) return;
        process.Kill(); // SIGKILL on Linux
        process.WaitForExit();
    }

    public bool IsRunning => _process is { HasExited: false };
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    /// <summary>A service's built assembly, in the same configuration as the running tool (Debug under test.sh, Release under chaos.sh and the benchmarks).</summary>
    public static string AssemblyOf(string service)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(Infrastructure.RepositoryRoot, "services", service, "bin", configuration, "net10.0", $"PatientJourney.{service}.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"build the solution first ({configuration})", path);
    }

    public async Task WaitReadyAsync(TimeSpan deadline)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{name} was not ready within {deadline.TotalSeconds} s; see {logFile}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) File.AppendAllText(logFile, line + Environment.NewLine);
    }

    /// <summary>A port nothing listens on now (the OS picks it).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }
}
