using System.Net.Http.Headers;
using System.Net.Http.Json;
using PatientJourney.Hosting.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PatientJourney.Chemotherapy;
using PatientJourney.Diagnosis;
using PatientJourney.Imaging;
using PatientJourney.Interventional;
using PatientJourney.Journey;
using PatientJourney.SeedLoader;

namespace PatientJourney.IntegrationTests.Infrastructure;

/// <summary>A real service host, configured for one test's database and vhost.</summary>
/// <remarks>
/// The service connects to RabbitMQ as its own user (BrokerAccounts), and its clients carry a development token for
/// the role that service expects: the department's own role, or auditor at the journey. Tests of who may do what
/// make clients with other tokens (<see cref="TestTokens"/>).
/// </remarks>
public sealed class ServiceHost<TService>(
    Isolation isolation, TimeProvider? clock = null, IReadOnlyDictionary<string, string?>? settings = null, ILoggerProvider? logSink = null,
    Action<IServiceCollection>? testServices = null)
    : WebApplicationFactory<TService> where TService : class
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (clock is not null) builder.ConfigureTestServices(services => services.AddSingleton(clock));
        if (testServices is not null) builder.ConfigureTestServices(testServices);
        if (logSink is not null) builder.ConfigureLogging(logging => logging.AddProvider(logSink));
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Postgres", isolation.ConnectionString);
        builder.UseSetting("RabbitMq:Host", isolation.RabbitMq.Host);
        builder.UseSetting("RabbitMq:VirtualHost", isolation.RabbitMq.VirtualHost);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Tests post thousands of requests as one caller; the rate limit has a test of its own.
        builder.UseSetting("RateLimit:PermitsPerSecond", "100000");
        builder.UseSetting("RateLimit:Burst", "100000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) builder.UseSetting(key, value);
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(TestTokens.NaturalRoleOf(typeof(TService))));
    }

    /// <summary>A client with another token (or none).</summary>
    public HttpClient CreateClient(string? token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

/// <summary>Development tokens for tests, signed with the key the hosts trust in Development.</summary>
public static class TestTokens
{
    public static string For(string role, string? subject = null) => AuthenticatedClient.DevelopmentToken(role, subject ?? $"test-{role.Replace(':', '-')}");

    /// <summary>A token carrying several roles: a department user on the dashboard holds her department's and a reading one.</summary>
    public static string For(IEnumerable<string> roles, string subject) => DevelopmentTokens.Issue(subject, roles);

    public static string NaturalRoleOf(Type service) => service.Name switch
    {
        nameof(JourneyService) => Roles.Auditor,
        nameof(DiagnosisService) => Roles.Department(Contracts.Departments.Diagnosis),
        nameof(ChemotherapyService) => Roles.Department(Contracts.Departments.Chemotherapy),
        nameof(InterventionalService) => Roles.Department(Contracts.Departments.Interventional),
        nameof(ImagingService) => Roles.Department(Contracts.Departments.Imaging),
        _ => Roles.Clinician,
    };
}

/// <summary>
/// The whole system, journey and four departments, on real PostgreSQL and RabbitMQ, isolated for one test class.
/// </summary>
public class PatientJourneySystem : IAsyncLifetime
{
    /// <summary>Where a subclass collects every host's log lines, at the level it sets (else Warning, to the console).</summary>
    protected virtual ILoggerProvider? LogSink => null;
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;
    /// <summary>Services a subclass adds to every host, after the host's own.</summary>
    protected virtual Action<IServiceCollection>? TestServices => null;

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
        Journey = Track(new ServiceHost<JourneyService>(_isolation, settings: Settings, logSink: LogSink, testServices: TestServices));
        Diagnosis = Track(new ServiceHost<DiagnosisService>(_isolation, settings: Settings, logSink: LogSink, testServices: TestServices));
        Chemotherapy = Track(new ServiceHost<ChemotherapyService>(_isolation, settings: Settings, logSink: LogSink, testServices: TestServices));
        Interventional = Track(new ServiceHost<InterventionalService>(_isolation, settings: Settings, logSink: LogSink, testServices: TestServices));
        Imaging = Track(new ServiceHost<ImagingService>(_isolation, settings: Settings, logSink: LogSink, testServices: TestServices));
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
        // Ready: each department's tables made (StoreSchema), before a test's own store reads them.
        foreach (var (name, client) in Departments)
            await Eventually.HoldsAsync(async () => (await client.GetAsync("/health/ready")).IsSuccessStatusCode, $"{name} ready");
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

    /// <summary>Deletes the journey's read models, rebuilds them from its events, and asserts they are what they were.</summary>
    public async Task AssertRebuildGivesTheSameReadModelsAsync()
    {
        var live = await PatientJourney.Harness.ReadModelSnapshot.TakeAsync(Isolation.ConnectionString);
        var store = Journey.Services.GetRequiredService<Marten.IDocumentStore>();
        await store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(PatientJourney.Journey.PatientJourneys.PatientJourneyView));
        await store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(PatientJourney.Journey.Worklist.WorklistEntry));
        await PatientJourney.Journey.Projections.JourneyRebuild.RebuildAllAsync(store);
        Xunit.Assert.Equal(live, await PatientJourney.Harness.ReadModelSnapshot.TakeAsync(Isolation.ConnectionString));
    }

    /// <summary>How many events each department's own store holds: what a refused request must leave unchanged.</summary>
    public async Task<Dictionary<string, int>> DepartmentEventCountsAsync()
    {
        var counts = new Dictionary<string, int>();
        foreach (var (name, services) in new (string, IServiceProvider)[]
                 {
                     ("diagnosis", Diagnosis.Services), ("chemotherapy", Chemotherapy.Services),
                     ("interventional", Interventional.Services), ("imaging", Imaging.Services),
                 })
        {
            await using var session = services.GetRequiredService<Marten.IDocumentStore>().QuerySession();
            counts[name] = await Marten.QueryableExtensions.CountAsync(session.Events.QueryAllRawEvents());
        }
        return counts;
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
        await Eventually.HoldsAsync(async () => await JourneyEntryCountAsync(seed.PatientId) == seed.JourneyEntryCount, "the whole seed case in the journey");
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
