using JasperFx;
using JasperFx.Events;
using Marten;
using PatientJourney.Contracts;
using PatientJourney.Hosting;

namespace PatientJourney.StoreAndBus.EventStore;

/// <summary>The Marten settings of every store of clinical events: each department's and the journey's.</summary>
public static class ClinicalEventStore
{
    /// <summary>
    /// The connection a store of clinical events uses. Nothing a session leaves behind outlives its transaction (the
    /// stream locks are transaction locks), so a pooled connection needs no DISCARD ALL round trip each time a session
    /// returns it. Every write repeats the same few statements (append, view upsert, chain link): prepared on the
    /// connection after their second use, PostgreSQL no longer parses and plans each one (a large share of its CPU per
    /// event; docs/benchmarks-history.md, "prepared statements"). Marten names its columns in every statement, so a table altered while the
    /// services run does not change a prepared statement's result type. Each write sends a batch's rows (a few hundred
    /// events' JSON in one statement) and each outbox page reads them back: 64 KB buffers instead of Npgsql's 8 KB move
    /// them in fewer system calls (more events end to end, back to back; docs/benchmarks-history.md, "64 KB socket buffers"). What
    /// the operator's connection string says wins.
    /// </summary>
    public static string ClinicalStoreConnection(string connectionString)
    {
        const int BatchBufferSize = 64 * 1024;
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            connection.MaxAutoPrepare = 100;
            if (!given.ContainsKey("Auto Prepare Min Usages") && !given.ContainsKey("AutoPrepareMinUsages")) connection.AutoPrepareMinUsages = 2;
        }
        if (!given.ContainsKey("Write Buffer Size") && !given.ContainsKey("WriteBufferSize")) connection.WriteBufferSize = BatchBufferSize;
        if (!given.ContainsKey("Read Buffer Size") && !given.ContainsKey("ReadBufferSize")) connection.ReadBufferSize = BatchBufferSize;
        return connection.ConnectionString;
    }

    /// <summary>
    /// True when the connection string names several hosts (Host=primary:5432,standby:5433): the first is the primary
    /// and the others its streaming standbys.
    /// </summary>
    public static bool IsPrimaryWithStandbys(string connectionString) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Host?.Contains(',') ?? false;

    /// <summary>Marten settings shared by every store of clinical events (departments and journey).</summary>
    public static void ConfigureClinicalEventStore(this StoreOptions opts, string connectionString, string schema)
    {
        var connection = ClinicalStoreConnection(connectionString);
        if (IsPrimaryWithStandbys(connection))
        {
            // A primary and its streaming standbys: writes (sessions, the daemon, LISTEN) go to the primary, query sessions to
            // a standby while one is up (PostgreSQL's own failover is an operator's tool's, docs/architecture.md).
            opts.Connection(new Npgsql.NpgsqlDataSourceBuilder(connection).BuildMultiHost());
            opts.Advanced.MultiHostSettings.ReadSessionPreference = Npgsql.TargetSessionAttributes.PreferStandby;
            opts.Advanced.MultiHostSettings.WriteSessionPreference = Npgsql.TargetSessionAttributes.Primary;
        }
        else opts.Connection(connection);
        opts.DatabaseSchemaName = schema;
        opts.Events.DatabaseSchemaName = schema;
        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        opts.UseSystemTextJsonForSerialization(configure: o => JsonDefaults.Configure(o));
        opts.Events.StreamIdentity = StreamIdentity.AsString;
        opts.Events.EnableUniqueIndexOnEventId = true;
        // A headers column beside each event, for operational metadata only: the trace context of the request that
        // recorded it (EventTraceContext), so that its publish, later and maybe elsewhere, continues the trace.
        opts.Events.MetadataConfig.HeadersEnabled = true;
        // Spans of each session's connection and a counter of events appended by type: emitted only when listened to.
        opts.OpenTelemetry.TrackConnections = JasperFx.OpenTelemetry.TrackLevel.Normal;
        opts.OpenTelemetry.TrackEventCounters();
        // A skipped event is a lost clinical fact: stop and retry instead.
        opts.Projections.Errors.SkipApplyErrors = false;
        opts.Projections.Errors.SkipSerializationErrors = false;
        opts.Projections.Errors.SkipUnknownEvents = false;
        foreach (var type in ContractEvents.All)
            opts.Events.AddEventType(type);
    }
}
