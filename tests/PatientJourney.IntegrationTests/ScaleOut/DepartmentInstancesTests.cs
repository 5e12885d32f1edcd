using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PatientJourney.Diagnosis;
using PatientJourney.DepartmentKit.Outbox;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.Journey;

namespace PatientJourney.IntegrationTests.ScaleOut;

/// <summary>Two instances of a department on its one store: one outbox forwarder between them (Marten's HotCold daemon).</summary>
public class DepartmentInstancesTests : IAsyncLifetime
{
    private Isolation _isolation = null!;
    public LogCapture Logs { get; } = new();
    private ServiceHost<JourneyService> _journey = null!;
    private readonly List<ServiceHost<DiagnosisService>> _diagnosis = [];

    public async Task InitializeAsync()
    {
        _isolation = await Isolation.CreateAsync();
        _journey = new ServiceHost<JourneyService>(_isolation);
        var client = _journey.CreateClient();
        await Eventually.HoldsAsync(async () => (await client.GetAsync("/health/ready")).IsSuccessStatusCode, "journey ready");
        await Eventually.HoldsAsync(() => Task.FromResult(_journey.BusIsReady()), "journey bus ready");
        // The standing-by instance asks for the lock every 200 ms here (a second by default).
        for (var i = 0; i < 2; i++) _diagnosis.Add(new ServiceHost<DiagnosisService>(_isolation, logSink: Logs, settings: new Dictionary<string, string?> { ["Outbox:LeadershipPollingMs"] = "200" }));
    }

    public async Task DisposeAsync()
    {
        foreach (var department in _diagnosis) await department.DisposeAsync();
        await _journey.DisposeAsync();
        await _isolation.DisposeAsync();
    }

    private static long ForwardedThrough(ServiceHost<DiagnosisService> instance) => instance.Services.GetRequiredService<OutboxBacklog>().ConfirmedThrough;

    private async Task RegisterAsync(ServiceHost<DiagnosisService> instance, string patientId)
    {
        using var client = instance.CreateClient();
        using var response = await client.PostAsJsonAsync("/patients", new { patientId, sex = "female", birthDate = "1960-01-01", occurredOn = "2020-01-01" });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, string.Join("\n", Logs.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal))));
    }

    private async Task<bool> InTheJourneyAsync(string patientId)
    {
        using var journey = _journey.CreateClient();
        return (await journey.GetFromJsonAsync<JsonArray>($"/patients/{patientId}/events"))!.Count == 1;
    }

    [Fact]
    public async Task One_instance_forwards_what_both_accept_and_the_other_takes_over_when_it_stops()
    {
        // Facts accepted by both instances reach the journey, every one of them through one forwarder.
        var patients = Enumerable.Range(0, 40).Select(i => $"HOTCOLD-{i:D2}").ToList();
        await Task.WhenAll(patients.Select((p, i) => RegisterAsync(_diagnosis[i % 2], p)));
        foreach (var patient in patients) await Eventually.HoldsAsync(() => InTheJourneyAsync(patient), $"{patient} in the journey");
        var forwarders = _diagnosis.Where(d => ForwardedThrough(d) > 0).ToList();
        var forwarder = Assert.Single(forwarders);
        var other = _diagnosis.Single(d => d != forwarder);

        // The forwarder goes (its lock with its connection): the other instance takes the outbox over where it stood.
        await forwarder.DisposeAsync();
        _diagnosis.Remove(forwarder);
        await RegisterAsync(other, "HOTCOLD-AFTER");
        await Eventually.HoldsAsync(() => InTheJourneyAsync("HOTCOLD-AFTER"), "the fact accepted after the takeover in the journey", TimeSpan.FromSeconds(30));
        Assert.True(ForwardedThrough(other) > 0, "the remaining instance never forwarded");
        foreach (var patient in patients) Assert.True(await InTheJourneyAsync(patient), $"{patient} once in the journey");
    }

    [Fact]
    public async Task A_fact_committed_after_the_forwarder_moved_past_its_number_reaches_the_journey_when_that_forwarder_is_gone()
    {
        await RegisterAsync(_diagnosis[0], "GAP-BEFORE");
        await Eventually.HoldsAsync(() => InTheJourneyAsync("GAP-BEFORE"), "GAP-BEFORE in the journey");
        var forwarder = _diagnosis.Single(d => ForwardedThrough(d) > 0);

        // Marten's high-water detection moves past a number with no event once it judges the transaction holding it dead;
        // the scale-out chaos run shows a few that were not, and committed their fact a moment later. Here the number is
        // taken outside any transaction, so that the detection judges it dead, and the fact comes under it later.
        await using var late = new NpgsqlConnection(_isolation.ConnectionString);
        await late.OpenAsync();
        var held = await ScalarAsync<long>(late, "select nextval('diagnosis.mt_events_sequence')");
        await RegisterAsync(forwarder, "GAP-NEXT");
        await Eventually.HoldsAsync(() => InTheJourneyAsync("GAP-NEXT"), "GAP-NEXT in the journey", TimeSpan.FromSeconds(60));
        await Eventually.HoldsAsync(() => GapKeptAsync(held), "the number moved past kept as a gap");

        // The forwarder goes before the fact is committed under that number; the other instance finds it.
        await forwarder.DisposeAsync();
        _diagnosis.Remove(forwarder);
        await ExecuteAsync(late, $$"""
            insert into diagnosis.mt_streams (id, type, version, tenant_id) select 'GAP-LATE', type, 1, tenant_id from diagnosis.mt_streams where id = 'GAP-NEXT';
            with copied as (select gen_random_uuid() as new_id, e.* from diagnosis.mt_events e where stream_id = 'GAP-NEXT')
            insert into diagnosis.mt_events (seq_id, id, stream_id, version, data, type, tenant_id, timestamp, mt_dotnet_type, is_archived)
            select {{held}}, new_id, 'GAP-LATE', 1, jsonb_set(jsonb_set(data, '{patientId}', '"GAP-LATE"'), '{eventId}', to_jsonb(new_id::text)), type, tenant_id, now(), mt_dotnet_type, false
            from copied
            """);
        await Eventually.HoldsAsync(() => InTheJourneyAsync("GAP-LATE"), "the late fact in the journey", TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync(async () => !await GapKeptAsync(held), "the gap forgotten once forwarded");
    }

    private async Task<bool> GapKeptAsync(long sequence)
    {
        await using var connection = new NpgsqlConnection(_isolation.ConnectionString);
        await connection.OpenAsync();
        return await ScalarAsync<long>(connection, $"select count(*) from diagnosis.{OutboxGaps.Table} where seq_id = {sequence}") == 1;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
