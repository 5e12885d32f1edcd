using System.Diagnostics;
using Marten;
using PatientJourney.Harness;
using PatientJourney.Journey;
using PatientJourney.Journey.Projections;

namespace PatientJourney.Benchmarks;

public sealed record BackupFigures(long Events, long DatabaseBytes, long BackupBytes, TimeSpan Backup, long ReplayedWalBytes, long EventsAfterBackup, TimeSpan Restore)
{
    public override string ToString() =>
        $"backup: {Events:N0} events ({DatabaseBytes / 1e6:N0} MB database), backup {BackupBytes / 1e6:N0} MB in {Backup.TotalSeconds:F1} s; "
        + $"restore with {EventsAfterBackup:N0} events after it ({ReplayedWalBytes / 1e6:N0} MB of archived WAL) to a point in time: {Restore.TotalSeconds:F1} s";
}

/// <summary>
/// infra/backup.sh and infra/restore.sh over a store of generated journeys (the rebuild benchmark's events, with their
/// read models), on a cluster of the benchmark's own with the shared cluster's memory and WAL settings: the backup timed,
/// then a tenth more events written after it, and a restore to a point after them timed (copy, WAL replay, promotion).
/// </summary>
public static class BackupBenchmark
{
    private const string Database = "pj_bench_backup";

    /// <summary>What infra/up.sh sets on the machine's cluster that changes what a backup copies and a restore replays.</summary>
    private static readonly Dictionary<string, string> SharedClusterSettings = new()
    {
        ["shared_buffers"] = "'1GB'", ["wal_buffers"] = "'64MB'", ["max_wal_size"] = "'4GB'",
        ["wal_compression"] = "lz4", ["default_toast_compression"] = "lz4",
    };

    public static async Task<BackupFigures> RunAsync(int events, TextWriter output, CancellationToken ct = default)
    {
        await using var cluster = await ThrowawayCluster.StartAsync(SharedClusterSettings);
        await SharedServers.CreateDatabaseAsync(Database, cluster.ConnectionString);
        var connectionString = SharedServers.ConnectionStringOf(Database, server: cluster.ConnectionString);
        var stopwatch = Stopwatch.StartNew();
        using (var store = JourneyServiceExtensions.OpenJourneyStore(connectionString))
        {
            var patients = await RebuildBenchmark.StoreJourneysAsync(store, events, ct);
            await JourneyRebuild.RebuildAllAsync(store, ct: ct);
            output.WriteLine($"stored {events:N0} events of {patients:N0} patients and their read models in {stopwatch.Elapsed.TotalSeconds:F1} s");
        }
        await WorklistBenchmark.AnalyzeAsync(connectionString);
        var databaseBytes = await DatabaseBytesAsync(connectionString);

        stopwatch.Restart();
        var (backup, _) = await cluster.BackupAsync();
        var backupTime = stopwatch.Elapsed;
        var backupBytes = DirectoryBytes(backup);
        output.WriteLine($"backup.sh: {backupBytes / 1e6:N0} MB in {backupTime.TotalSeconds:F1} s");

        // Facts recorded after the backup: the restore replays their WAL from the archive up to the point in time.
        var later = events / 10;
        var walBefore = DirectoryBytes(cluster.WalArchive);
        using (var store = JourneyServiceExtensions.OpenJourneyStore(connectionString))
            await RebuildBenchmark.StoreJourneysAsync(store, later, ct, firstPatient: 10_000_000);
        var pointInTime = DateTimeOffset.UtcNow;
        await SharedServers.CreateDatabaseAsync($"{Database}_after", cluster.ConnectionString); // a commit after the point
        await cluster.ArchiveCurrentWalAsync();
        var replayed = DirectoryBytes(cluster.WalArchive) - walBefore;

        stopwatch.Restart();
        var (restored, _) = await cluster.RestoreAsync(backup, pointInTime);
        var restoreTime = stopwatch.Elapsed;
        var restoredEvents = await ClinicalEventStores.CountAsync(SharedServers.ConnectionStringOf(Database, server: restored.ConnectionString),
            [ClinicalEventStores.JourneySchema], ct);
        if (restoredEvents != events + later) throw new InvalidOperationException($"restored {restoredEvents:N0} events, stored {events + later:N0}");

        var figures = new BackupFigures(events, databaseBytes, backupBytes, backupTime, replayed, later, restoreTime);
        output.WriteLine(figures);
        return figures;
    }

    private static async Task<long> DatabaseBytesAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var size = new Npgsql.NpgsqlCommand("select pg_database_size(current_database())", connection);
        return (long)(await size.ExecuteScalarAsync())!;
    }

    private static long DirectoryBytes(string directory) =>
        new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
