using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace PatientJourney.Harness;

/// <summary>
/// One service as its own operating-system process, so that it can be killed with SIGKILL and started again; or the
/// four departments' host (services/Departments), one process listening on a port for each of <paramref name="departments"/>.
/// </summary>
public sealed class ServiceProcess(string name, string assembly, IReadOnlyDictionary<string, string> environment, string logFile, IReadOnlyList<string>? departments = null) : IDisposable
{
    private readonly object _log = new();
    private Process? _process;

    public string Name => name;
    public int Port { get; } = FreePort();
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public int Starts { get; private set; }

    /// <summary>Each department the process hosts, at an address of its own; none for a process of one service.</summary>
    public IReadOnlyDictionary<string, Uri> Departments { get; } =
        (departments ?? []).ToDictionary(d => d, _ => new Uri($"http://127.0.0.1:{FreePort()}"));

    public void Start()
    {
        var start = new ProcessStartInfo("dotnet", [assembly]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // The runner may hold every secret (the administrator's, each service's): a service gets only what it is given.
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("RabbitMq__", StringComparison.OrdinalIgnoreCase)
                     || k.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(inherited);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString();
        foreach (var (department, address) in Departments) start.Environment[$"Departments__{department}__Urls"] = address.ToString();
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

    public async Task WaitReadyAsync(TimeSpan deadline)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var addresses = Departments.Count > 0 ? Departments.Values.ToList() : [BaseAddress];
        var until = DateTime.UtcNow + deadline;
        var process = _process ?? throw new InvalidOperationException($"{name} was never started");
        while (DateTime.UtcNow < until)
        {
            // A service that exited (its port taken, say) must not pass for ready because something else answers there.
            if (process.HasExited)
            {
                process.WaitForExit(); // its last lines in the log
                throw new InvalidOperationException($"{name} exited with code {process.ExitCode} before it was ready; see {logFile}");
            }
            try
            {
                var ready = true;
                foreach (var address in addresses) ready &= (await http.GetAsync(new Uri(address, "/health/ready"))).IsSuccessStatusCode;
                if (ready && !process.HasExited) return;
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

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A port nothing listens on now, never handed out before by this process, and below the range the OS takes local
    /// ports of outgoing connections from (32768-60999 on Linux): a port the OS picked (bind to 0) went back to that
    /// range when the listener closed, and once an outgoing connection took it before the service bound it, the service
    /// failed to start while another process answered on its port (seen in a benchmark run).
    /// </summary>
    public static int FreePort()
    {
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < 1_000; attempt++)
            {
                var port = Random.Shared.Next(20_000, 32_000);
                if (HandedOut.Contains(port)) continue;
                try
                {
                    using var listener = new TcpListener(IPAddress.Loopback, port);
                    listener.Start();
                }
                catch (SocketException)
                {
                    continue;
                }
                HandedOut.Add(port);
                return port;
            }
        }
        throw new InvalidOperationException("no free port between 20000 and 32000");
    }

    /// <summary>Kills and forgets the process; a second call does nothing.</summary>
    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        _process = null;
    }
}
