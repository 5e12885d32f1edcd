using System.Globalization;
using Npgsql;

namespace PatientJourney.Harness;

/// <summary>
/// A PostgreSQL cluster of a test's (or a benchmark's) own, for what must never happen to the shared cluster that tests in
/// parallel use: a backup under load, a stop, a restore. Made with initdb in a temporary directory, on a free port,
/// archiving its WAL with the archive_command of infra/up.sh; run as the postgres OS user (runuser: tests run as root).
/// Backed up and restored with infra/backup.sh and infra/restore.sh, as an operator would.
/// </summary>
public sealed class ThrowawayCluster : IAsyncDisposable
{
    private readonly bool _owner;
    private readonly List<ThrowawayCluster> _restored = [];
    private readonly List<ThrowawayStandby> _standbys = [];

    private ThrowawayCluster(string root, string dataDirectory, int port, bool owner)
    {
        Root = root;
        DataDirectory = dataDirectory;
        Port = port;
        _owner = owner;
    }

    /// <summary>The temporary directory (mode 0700, the postgres user's): data, WAL archive, backups, socket, log.</summary>
    public string Root { get; }
    public string DataDirectory { get; }
    public int Port { get; }
    public string WalArchive => Path.Combine(Root, "wal-archive");
    public string Backups => Path.Combine(Root, "backups");
    public string SocketDirectory => Path.Combine(Root, "socket");

    /// <summary>As the services reach it: the shared cluster's role and password, over TCP (database postgres: pick one).</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(SharedServers.Settings.PostgresConnectionString)
    {
        Host = "127.0.0.1", Port = Port, Database = "postgres",
    }.ConnectionString;

    /// <summary>The superuser over the cluster's private socket (trust: only root and postgres can reach the directory).</summary>
    private string SuperuserConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = SocketDirectory, Port = Port, Username = "postgres", Database = "postgres", Pooling = false,
    }.ConnectionString;

    /// <param name="settings">postgresql.conf lines beyond the archiving ones (a benchmark's memory settings, say).</param>
    public static async Task<ThrowawayCluster> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var root = Path.Combine(Path.GetTempPath(), $"pj-cluster-{Guid.NewGuid():N}"[..19]);
        await ProgramRun.RunOrThrowAsync("install", ["-d", "-m", "0700", "-o", "postgres", "-g", "postgres", root]);
        var cluster = new ThrowawayCluster(root, Path.Combine(root, "data"), ServiceProcess.FreePort(), owner: true);
        await AsPostgresAsync("install", "-d", "-m", "0700", cluster.WalArchive, cluster.SocketDirectory);
        await PostgresToolAsync("initdb", "-D", cluster.DataDirectory, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256",
            "-E", "UTF8", "--locale=C.UTF-8");
        var archiveCommand = (await InfraAsync("pj_archive_command", cluster.WalArchive)).TrimEnd('\n');
        var lines = new Dictionary<string, string>
        {
            ["port"] = cluster.Port.ToString(CultureInfo.InvariantCulture),
            ["listen_addresses"] = "'127.0.0.1'",
            ["unix_socket_directories"] = $"'{cluster.SocketDirectory}'",
            ["max_connections"] = "200", // a few hosts, 40 connections each
            ["archive_mode"] = "on",
            ["archive_command"] = $"'{archiveCommand.Replace("'", "''")}'",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) lines[key] = value;
        await File.AppendAllLinesAsync(Path.Combine(cluster.DataDirectory, "postgresql.conf"), lines.Select(l => $"{l.Key} = {l.Value}"));
        await cluster.StartServerAsync();

        // The services' role, with the shared cluster's password: a connection string differs only in where it points.
        var role = new NpgsqlConnectionStringBuilder(SharedServers.Settings.PostgresConnectionString);
        await cluster.ExecuteAsync($"create role \"{role.Username}\" login createdb password '{role.Password!.Replace("'", "''")}'");
        return cluster;
    }

    private Task StartServerAsync() =>
        PostgresToolAsync("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(Root, $"{Path.GetFileName(DataDirectory)}.log"), "-w", "start");

    /// <summary>Stops the server: "fast" ends the sessions cleanly, "immediate" is the machine losing power.</summary>
    public Task StopAsync(string mode = "fast") => PostgresToolAsync("pg_ctl", "-D", DataDirectory, "-m", mode, "stop");

    /// <summary>infra/backup.sh against this cluster, into <see cref="Backups"/>: the backup's directory, and what the script printed.</summary>
    public async Task<(string Backup, string Output)> BackupAsync(params string[] options)
    {
        var run = await ProgramRun.RunOrThrowAsync(Path.Combine(Repository.Root, "infra", "backup.sh"), ["--dest", Backups, "--host", SocketDirectory, "--port", Port.ToString(CultureInfo.InvariantCulture),
            "--wal-archive", WalArchive, .. options], TimeSpan.FromMinutes(30));
        return (run.Output.TrimEnd('\n').Split('\n')[^1], run.Output);
    }

    /// <summary>
    /// Closes the current WAL segment and waits until the archiver has copied it, as archive_timeout does within its bound:
    /// the moments before this are then recoverable from the archive even if the cluster is lost.
    /// </summary>
    public async Task ArchiveCurrentWalAsync()
    {
        await using var connection = new NpgsqlConnection(SuperuserConnectionString);
        await connection.OpenAsync();
        await using var switchWal = new NpgsqlCommand("select pg_walfile_name(pg_switch_wal())", connection);
        var segment = (string)(await switchWal.ExecuteScalarAsync())!;
        for (var until = DateTime.UtcNow.AddMinutes(2); !File.Exists(Path.Combine(WalArchive, segment)); await Task.Delay(100))
            if (DateTime.UtcNow > until) throw new TimeoutException($"WAL segment {segment} was not archived");
    }

    /// <summary>infra/restore.sh of <paramref name="backup"/> into a new data directory beside this one, on a port of its own, started.</summary>
    public async Task<(ThrowawayCluster Cluster, string Output)> RestoreAsync(string backup, DateTimeOffset? targetTime)
    {
        var restored = new ThrowawayCluster(Root, Path.Combine(Root, $"restored-{_restored.Count + 1}"), ServiceProcess.FreePort(), owner: false);
        _restored.Add(restored);
        List<string> arguments = ["--backup", backup, "--wal-archive", WalArchive, "--dest", restored.DataDirectory,
            "--port", restored.Port.ToString(CultureInfo.InvariantCulture), "--socket-dir", SocketDirectory];
        if (targetTime is { } time) arguments.AddRange(["--target-time", time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff+00", CultureInfo.InvariantCulture)]);
        var run = await ProgramRun.RunOrThrowAsync(Path.Combine(Repository.Root, "infra", "restore.sh"), arguments, TimeSpan.FromMinutes(30));
        return (restored, run.Output);
    }

    /// <summary>
    /// A streaming standby of this cluster, made by infra/pg-standby.sh as an operator would (a Debian cluster of its own
    /// on a free port, pg_basebackup -R through this cluster's socket, a replication slot); dropped with this cluster.
    /// </summary>
    public async Task<ThrowawayStandby> StartStandbyAsync()
    {
        var standby = new ThrowawayStandby($"pjt-{Guid.NewGuid():N}"[..14], ServiceProcess.FreePort(), Port, SocketDirectory);
        _standbys.Add(standby);
        await ProgramRun.RunOrThrowAsync(Path.Combine(Repository.Root, "infra", "pg-standby.sh"), ["up", .. standby.ScriptOptions], TimeSpan.FromMinutes(5));
        return standby;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(SuperuserConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        foreach (var restored in _restored) await restored.DisposeAsync();
        foreach (var standby in _standbys) await ProgramRun.RunAsync(Path.Combine(Repository.Root, "infra", "pg-standby.sh"), ["down", .. standby.ScriptOptions]);
        // Stopped whatever state it is in (a test that failed half way); already stopped is fine.
        await ProgramRun.RunAsync("bash", ["-c", ". infra/wal-archive.sh && pj_as_postgres \"$(pj_pg_bin)/pg_ctl\" -D \"$1\" -m immediate stop", "_", DataDirectory]);
        if (_owner) Directory.Delete(Root, recursive: true);
    }

    /// <summary>A PostgreSQL tool (initdb, pg_ctl) of the installed version, as the postgres user: infra/wal-archive.sh finds both.</summary>
    private static Task PostgresToolAsync(string tool, params string[] arguments) =>
        ProgramRun.RunOrThrowAsync("bash", ["-c", ". infra/wal-archive.sh && pj_as_postgres \"$(pj_pg_bin)/$0\" \"$@\"", tool, .. arguments]);

    private static Task AsPostgresAsync(string program, params string[] arguments) =>
        ProgramRun.RunOrThrowAsync("bash", ["-c", ". infra/wal-archive.sh && pj_as_postgres \"$0\" \"$@\"", program, .. arguments]);

    /// <summary>A function of infra/wal-archive.sh (the archive_command is written once, there).</summary>
    private static async Task<string> InfraAsync(string function, params string[] arguments) =>
        (await ProgramRun.RunOrThrowAsync("bash", ["-c", ". infra/wal-archive.sh && \"$0\" \"$@\"", function, .. arguments])).Output;
}

/// <summary>A standby of a <see cref="ThrowawayCluster"/>: its Debian cluster name and port, reached as the services reach it.</summary>
public sealed record ThrowawayStandby(string Name, int Port, int PrimaryPort, string PrimarySocketDirectory)
{
    public string ConnectionString => new NpgsqlConnectionStringBuilder(SharedServers.Settings.PostgresConnectionString)
    {
        Host = "127.0.0.1", Port = Port, Database = "postgres",
    }.ConnectionString;

    internal string[] ScriptOptions =>
    [
        "--cluster", Name, "--port", Port.ToString(CultureInfo.InvariantCulture),
        "--primary-port", PrimaryPort.ToString(CultureInfo.InvariantCulture), "--primary-host", PrimarySocketDirectory,
    ];
}
