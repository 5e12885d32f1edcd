using System.Diagnostics;
using Npgsql;
using Xunit.Abstractions;

namespace PatientJourney.IntegrationTests.Reliability;

/// <summary>
/// What ./run.sh --cluster stands on, made by its own scripts on servers of the test's own: a RabbitMQ cluster of three
/// nodes (infra/rabbitmq-cluster.sh) whose quorum queue survives its leader's node, and a PostgreSQL streaming standby
/// (infra/pg-standby.sh) that serves what the primary wrote. docs/architecture.md, "Production picture".
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")] // RabbitMQ's and PostgreSQL's tools as Debian installs them
public class ClusterInfrastructureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_quorum_queue_has_a_member_on_each_of_three_nodes_and_a_new_leader_when_its_leader_s_node_is_killed()
    {
        var clock = Stopwatch.StartNew();
        await using var cluster = await ThrowawayRabbitCluster.StartAsync();
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: cluster of {string.Join(", ", cluster.NodeNames)} up (AMQP {string.Join(", ", cluster.AmqpPorts)})");
        Assert.Equal(cluster.NodeNames.Order(), await cluster.RunningNodesAsync());

        const string queue = "pj-cluster-test";
        await cluster.DeclareQuorumQueueAsync("/", queue);
        var (leader, members) = await cluster.QueueAsync("/", queue);
        Assert.Equal(cluster.NodeNames.Order(), members);
        Assert.Contains(leader, cluster.NodeNames);

        var killed = cluster.NodeNames.ToList().IndexOf(leader!);
        await cluster.KillNodeAsync(killed);
        var killedAt = clock.Elapsed;
        string? newLeader = null;
        for (var until = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < until; await Task.Delay(100))
        {
            newLeader = await cluster.LeaderOfQueueAsync("/", queue);
            if (newLeader is not null && newLeader != leader) break;
        }
        output.WriteLine($"leader {leader} killed; new leader {newLeader} after {(clock.Elapsed - killedAt).TotalSeconds:F1} s");
        Assert.NotEqual(leader, newLeader);
        Assert.Contains(newLeader, cluster.NodeNames);
        Assert.Equal(cluster.NodeNames.Where(n => n != leader).Order(), await cluster.RunningNodesAsync());

        // The killed node comes back into the cluster from its own data.
        await cluster.StartNodeAsync(killed);
        Assert.Equal(cluster.NodeNames.Order(), await cluster.RunningNodesAsync());
    }

    [Fact]
    public async Task A_streaming_standby_serves_what_the_primary_wrote_and_refuses_writes()
    {
        await using var primary = await ThrowawayCluster.StartAsync();
        var standby = await primary.StartStandbyAsync();

        // A database of the role's own (PostgreSQL 15 lets no one but its owner create in postgres's public schema).
        await using (var connection = new NpgsqlConnection(primary.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("create database standby_test", connection);
            await create.ExecuteNonQueryAsync();
        }
        var written = Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(InDatabase(primary.ConnectionString)))
        {
            await connection.OpenAsync();
            await using var write = new NpgsqlCommand($"create table written (value text); insert into written values ('{written}')", connection);
            await write.ExecuteNonQueryAsync();
        }

        // The standby replays the primary's commits a moment later (no read-your-writes): the database, then the row.
        string? read = null;
        var clock = Stopwatch.StartNew();
        for (var until = DateTime.UtcNow.AddSeconds(30); read is null && DateTime.UtcNow < until; await Task.Delay(20))
        {
            try
            {
                await using var connection = new NpgsqlConnection(InDatabase(standby.ConnectionString));
                await connection.OpenAsync();
                await using var select = new NpgsqlCommand("select value from written", connection);
                read = (string?)await select.ExecuteScalarAsync();
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.UndefinedTable) { }
        }
        output.WriteLine($"read on the standby {clock.ElapsedMilliseconds} ms after the primary's commit");
        Assert.Equal(written, read);

        await using var reader = new NpgsqlConnection(InDatabase(standby.ConnectionString));
        await reader.OpenAsync();
        await using (var recovery = new NpgsqlCommand("select pg_is_in_recovery()", reader))
            Assert.True((bool)(await recovery.ExecuteScalarAsync())!);
        await using var refused = new NpgsqlCommand("insert into written values ('on the standby')", reader);
        var error = await Assert.ThrowsAsync<PostgresException>(() => refused.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, error.SqlState);
    }

    private static string InDatabase(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = "standby_test", Pooling = false }.ConnectionString;
}
