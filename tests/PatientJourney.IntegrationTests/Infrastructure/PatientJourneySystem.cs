using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PatientJourney.Chemotherapy;
using PatientJourney.Diagnosis;
using PatientJourney.Imaging;
using PatientJourney.Interventional;
using PatientJourney.Journey;
using PatientJourney.SeedLoader;

namespace PatientJourney.IntegrationTests.Infrastructure;

/// <summary>A real service host, configured for one test's database and vhost.</summary>
public sealed class ServiceHost<TService>(Isolation isolation, TimeProvider? clock = null) : WebApplicationFactory<TService> where TService : class
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (clock is not null) builder.ConfigureTestServices(services => services.AddSingleton(clock));
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Postgres", isolation.ConnectionString);
        builder.UseSetting("RabbitMq:Host", isolation.RabbitMq.Host);
        builder.UseSetting("RabbitMq:VirtualHost", isolation.RabbitMq.VirtualHost);
        builder.UseSetting("RabbitMq:Username", isolation.RabbitMq.Username);
        builder.UseSetting("RabbitMq:Password", isolation.RabbitMq.Password);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }
}

/// <summary>
/// The whole system, journey and four departments, on real PostgreSQL and RabbitMQ, isolated for one test class.
/// </summary>
public sealed class PatientJourneySystem : IAsyncLifetime
{
    private Isolation? _isolation;
    private readonly List<IAsyncDisposable> _hosts = [];

    public Isolation Isolation => _isolation ?? throw new InvalidOperationException("not started");
    public ServiceHost<JourneyService> Journey { get; private set; } = null!;
    public ServiceHost<DiagnosisService> Diagnosis { get; private set; } = null!;
    public ServiceHost<ChemotherapyService> Chemotherapy { get; private set; } = null!;
    public ServiceHost<InterventionalService> Interventional { get; private set; } = null!;
    public ServiceHost<ImagingService> Imaging { get; private set; } = null!;

    public HttpClient JourneyClient { get; private set; } = null!;
    public IReadOnlyDictionary<string, HttpClient> Departments { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _isolation = await Isolation.CreateAsync();
        Journey = Track(new ServiceHost<JourneyService>(_isolation));
        Diagnosis = Track(new ServiceHost<DiagnosisService>(_isolation));
        Chemotherapy = Track(new ServiceHost<ChemotherapyService>(_isolation));
        Interventional = Track(new ServiceHost<InterventionalService>(_isolation));
        Imaging = Track(new ServiceHost<ImagingService>(_isolation));
        // The journey first: its queue and bindings must exist before departments publish.
        JourneyClient = Journey.CreateClient();
        await Eventually.HoldsAsync(async () => (await JourneyClient.GetAsync("/health/ready")).IsSuccessStatusCode, "journey ready");
        await Eventually.HoldsAsync(() => Task.FromResult(Journey.BusIsReady()), "journey bus ready");
        Departments = new Dictionary<string, HttpClient>
        {
            ["diagnosis"] = Diagnosis.CreateClient(),
            ["chemotherapy"] = Chemotherapy.CreateClient(),
            ["interventional"] = Interventional.CreateClient(),
            ["imaging"] = Imaging.CreateClient(),
        };
    }

    private T Track<T>(T host) where T : IAsyncDisposable
    {
        _hosts.Add(host);
        return host;
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts) await host.DisposeAsync();
        if (_isolation is not null) await _isolation.DisposeAsync();
    }

    public async Task<int> JourneyEntryCountAsync(string patientId)
    {
        var response = await JourneyClient.GetAsync($"/patients/{patientId}/journey");
        if (!response.IsSuccessStatusCode) return 0;
        var journey = await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>();
        return journey!["entries"]!.AsArray().Count;
    }

    public Task<HttpResponseMessage> PostAsync(string department, string path, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return Departments[department].SendAsync(request);
    }

    /// <summary>Posts the seed case (in the given order, else its own), each request accepted, and waits until the journey holds all of it.</summary>
    public async Task<SeedCase> LoadSeedCaseAsync(Func<SeedCase, IReadOnlyList<SeedRequest>>? order = null)
    {
        var seed = SeedCase.Load();
        foreach (var request in order?.Invoke(seed) ?? seed.Requests)
        {
            using var response = await PostSeedAsync(seed, request);
            Xunit.Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"{request.Path}: {await response.Content.ReadAsStringAsync()}");
        }
        await Eventually.HoldsAsync(async () => await JourneyEntryCountAsync(seed.PatientId) == seed.JourneyEventCount, "the whole seed case in the journey");
        return seed;
    }

    public Task<HttpResponseMessage> PostSeedAsync(SeedCase seed, SeedRequest request) =>
        SeedCase.PostAsync(Departments[request.Department], request, seed.IdempotencyKey(request));
}

/// <summary>A clock a test sets: the departments stamp recordedAt with it, so recording days can be simulated.</summary>
public sealed class SimulatedClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;
    public override DateTimeOffset GetUtcNow() => Now;
}
