using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
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
}
