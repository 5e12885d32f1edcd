using System.Diagnostics.Metrics;
using Marten;
using Microsoft.Extensions.Hosting;
using Npgsql;
using PatientJourney.Hosting.Telemetry;

namespace PatientJourney.DepartmentKit.Outbox;

/// <summary>
/// The outbox's backlog as the store tells it: the department's last event minus the forwarder's progression (events
/// committed, not yet confirmed by the broker). The store's, not this process's <see cref="OutboxBacklog"/>: with
/// several instances only one forwards, and every one of them reports the same truth.
/// </summary>
public sealed class OutboxBacklogGauge(IDocumentStore store, DepartmentName department) : IHostedService
{
    private static readonly SampledGauge Backlog = new("patientjourney.outbox.backlog", "{event}",
        "Events a department committed that its outbox has not yet had confirmed by the broker.");

    private IDisposable? _source;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _source = Backlog.Add(ReadAsync);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _source?.Dispose();
        return Task.CompletedTask;
    }

    private async Task<IReadOnlyList<Measurement<long>>> ReadAsync(CancellationToken ct)
    {
        var schema = department.Value;
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"""
            select greatest(0, coalesce((select max(seq_id) from {schema}.mt_events), 0)
                - coalesce((select last_seq_id from {schema}.mt_event_progression where name = 'OutboxForwarder:All'), 0))
            """, connection);
        var backlog = (long)(await command.ExecuteScalarAsync(ct))!;
        return [new(backlog, new KeyValuePair<string, object?>(PatientJourneyTelemetry.DepartmentTag, schema))];
    }
}
