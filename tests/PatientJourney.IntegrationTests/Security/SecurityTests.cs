using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PatientJourney.StoreAndBus;
using PatientJourney.StoreAndBus.Messaging;
using PatientJourney.Hosting.Security;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Interventional;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.JourneyAdmin;
using Microsoft.IdentityModel.Tokens;

namespace PatientJourney.IntegrationTests.Security;

/// <summary>Who may do what (docs/security.md): every forbidden combination is refused, and nothing is recorded for it.</summary>
public class SecurityTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private const string Tace = """{"performedOn":"2011-07-12","target":"liver","drug":"doxorubicin","doseMg":150}""";
    private const string Visit = """{"occurredOn":"2012-07-24"}""";

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode expected, string? because = null)
    {
        Assert.True(expected == response.StatusCode, $"{because ?? response.RequestMessage?.RequestUri?.PathAndQuery}: expected {expected}, got {response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, (int)(await response.Content.ReadFromJsonAsync<JsonObject>())!["status"]!);
    }

    [Fact]
    public async Task A_chemotherapy_token_posting_a_TACE_is_forbidden_and_nothing_is_recorded()
    {
        using var chemo = system.Interventional.CreateClient(TestTokens.For(Roles.Department(Departments.Chemotherapy)));
        await AssertRefusedAsync(await chemo.PostAsync("/patients/SEC-1/tace", Json(Tace)), HttpStatusCode.Forbidden);

        // The interventional department's own token is accepted: the refusal above was the role's doing.
        Assert.Equal(HttpStatusCode.Accepted, (await system.Departments["interventional"].PostAsync("/patients/SEC-1/tace", Json(Tace))).StatusCode);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync("SEC-1") == 1, "only the interventional TACE");
    }

    [Theory]
    [InlineData("diagnosis", "/patients/SEC-2/visits", Visit)]
    [InlineData("chemotherapy", "/patients/SEC-2/regimens", """{"regimenId":"AI-1","name":"AI","startedOn":"2011-01-10","cycleLengthDays":21,"heightCm":165,"weightKg":65,"drugs":[{"drug":"doxorubicin","dosePerM2Mg":20,"days":[1],"route":"iv"}]}""")]
    [InlineData("interventional", "/patients/SEC-2/tace", Tace)]
    [InlineData("imaging", "/patients/SEC-2/ct", """{"performedOn":"2011-03-01","region":"chest","targetLesions":[]}""")]
    [InlineData("imaging", "/patients/SEC-2/echocardiograms", """{"performedOn":"2011-03-01","lvefPercent":60}""")]
    [InlineData("diagnosis", "/patients/SEC-2/surveillance-overrides", """{"kind":"echocardiogram","intervalMonths":12,"reason":"asked"}""")]
    public async Task A_clinician_auditor_or_admin_token_posting_anything_is_forbidden(string department, string path, string body)
    {
        foreach (var role in new[] { Roles.Clinician, Roles.Auditor, Roles.Admin })
        {
            using var client = ClientOf(department, TestTokens.For(role));
            await AssertRefusedAsync(await client.PostAsync(path, Json(body)), HttpStatusCode.Forbidden);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await system.JourneyClient.GetAsync("/patients/SEC-2/journey")).StatusCode);
    }

    public static TheoryData<string, string?> BadTokens() => new()
    {
        { "none", null },
        { "expired", DevelopmentTokens.Issue("dr.late", [Roles.Department(Departments.Diagnosis)], TimeSpan.FromMinutes(5), now: DateTime.UtcNow.AddHours(-1)) },
        { "signed with another key", DevelopmentTokens.Issue("dr.forger", [Roles.Department(Departments.Diagnosis)], key: new SymmetricSecurityKey(new byte[32])) },
        { "another issuer", DevelopmentTokens.Issue("dr.elsewhere", [Roles.Department(Departments.Diagnosis)], issuer: "https://idp.example.org") },
        { "another audience", DevelopmentTokens.Issue("dr.elsewhere", [Roles.Department(Departments.Diagnosis)], audience: "billing") },
        { "not a token", "not.a.token" },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_missing_expired_or_foreign_token_is_unauthorized_at_every_service(string why, string? token)
    {
        using var diagnosis = system.Diagnosis.CreateClient(token);
        using var refused = await diagnosis.PostAsync("/patients/SEC-3/visits", Json(Visit));
        await AssertRefusedAsync(refused, HttpStatusCode.Unauthorized, why);
        // Never why ("the issuer ... is invalid", "the token expired at ..."): that is logged, not told.
        Assert.Equal(token is null ? "Bearer" : "Bearer error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString());
        using var journey = system.Journey.CreateClient(token);
        await AssertRefusedAsync(await journey.GetAsync("/worklist"), HttpStatusCode.Unauthorized, why);
        // Health stays open to probes without any token.
        Assert.Equal(HttpStatusCode.OK, (await diagnosis.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task A_clinician_reads_the_journey_but_not_the_audit_routes()
    {
        var seed = await system.LoadSeedCaseAsync();
        using var clinician = system.Journey.CreateClient(TestTokens.For(Roles.Clinician));
        foreach (var path in new[] { "/patients", $"/patients/{seed.PatientId}/journey", $"/patients/{seed.PatientId}/surveillance?asOf=2012-08-15", "/worklist" })
            Assert.Equal(HttpStatusCode.OK, (await clinician.GetAsync(path)).StatusCode);
        foreach (var path in new[] { $"/patients/{seed.PatientId}/events", $"/patients/{seed.PatientId}/verify", $"/patients/{seed.PatientId}/fhir",
                     $"/patients/{seed.PatientId}/journey?asKnownAt=2024-01-01T00:00:00Z", "/worklist?asKnownAt=2024-01-01T00:00:00Z" })
            await AssertRefusedAsync(await clinician.GetAsync(path), HttpStatusCode.Forbidden);
        await AssertRefusedAsync(await clinician.PostAsync("/admin/rebuild", null), HttpStatusCode.Forbidden);

        using var auditor = system.Journey.CreateClient(TestTokens.For(Roles.Auditor));
        foreach (var path in new[] { $"/patients/{seed.PatientId}/events", $"/patients/{seed.PatientId}/verify", $"/patients/{seed.PatientId}/fhir",
                     $"/patients/{seed.PatientId}/journey?asKnownAt=2030-01-01T00:00:00Z" })
            Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync(path)).StatusCode);
        await AssertRefusedAsync(await auditor.PostAsync("/admin/rebuild", null), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_admin_rebuilds_but_reads_no_patient_data()
    {
        using var admin = system.Journey.CreateClient(TestTokens.For(Roles.Admin));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/admin/rebuild", null)).StatusCode);
        await AssertRefusedAsync(await admin.GetAsync("/patients"), HttpStatusCode.Forbidden);
        await AssertRefusedAsync(await admin.GetAsync("/worklist"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_surveillance_catalogue_is_read_and_checked_by_the_reading_roles_and_no_other()
    {
        using var navigator = system.Journey.CreateClient(TestTokens.For(Roles.Navigator));
        Assert.Equal(HttpStatusCode.OK, (await navigator.GetAsync("/surveillance/plan-definitions")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await navigator.PostAsync("/surveillance/plan-definitions/$validate", Json("{}"))).StatusCode);
        foreach (var role in new[] { Roles.Admin, Roles.Department(Departments.Diagnosis) })
        {
            using var other = system.Journey.CreateClient(TestTokens.For(role));
            await AssertRefusedAsync(await other.GetAsync("/surveillance/plan-definitions/ct-q3m-visits-q1m"), HttpStatusCode.Forbidden, role);
            await AssertRefusedAsync(await other.PostAsync("/surveillance/plan-definitions/$validate", Json("{}")), HttpStatusCode.Forbidden, role);
        }
        using var anonymous = system.Journey.CreateClient((string?)null);
        await AssertRefusedAsync(await anonymous.GetAsync("/surveillance/plan-definitions"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RecordedBy_is_the_subject_of_the_token_that_recorded_the_fact()
    {
        using var imaging = system.Imaging.CreateClient(TestTokens.For(Roles.Department(Departments.Imaging), subject: "radiographer.7"));
        Assert.Equal(HttpStatusCode.Accepted, (await imaging.PostAsync("/patients/SEC-4/ct",
            Json("""{"performedOn":"2011-03-01","region":"chest","targetLesions":[]}"""))).StatusCode);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync("SEC-4") == 1, "the CT in the journey");
        var events = (await system.JourneyClient.GetFromJsonAsync<JsonArray>("/patients/SEC-4/events"))!;
        Assert.Equal("radiographer.7", (string)events.Single()!["recordedBy"]!);
    }

    [Fact]
    public async Task A_department_message_forged_for_another_department_is_dead_lettered_and_not_recorded()
    {
        // The chemotherapy department's broker user, doing the worst it can: a TACE sent through its own exchange,
        // stamped with its own (broker-validated) user_id.
        var chemo = BrokerAccounts.ActingAs(system.Isolation.RabbitMq, Isolation.Secrets, Departments.Chemotherapy);
        var forged = new TacePerformed
        {
            EventId = Guid.NewGuid(), PatientId = "SEC-5", OccurredOn = new DateOnly(2011, 7, 12), Target = "liver", Drug = "doxorubicin", DoseMg = 150,
        };
        await using (var connection = await RawBroker.ConnectAsync(chemo))
        await using (var channel = await connection.CreateChannelAsync(new RabbitMQ.Client.CreateChannelOptions(true, true)))
            await RawBroker.PublishAsync(channel, "PatientJourney.Contracts.Chemotherapy:ChemoCycleCompleted",
                RawBroker.Envelope(forged.EventId, "PatientJourney.Contracts.Interventional:TacePerformed", forged), chemo.Username, forged.EventId.ToString());

        // The broker itself refuses the two other forgeries: writing the interventional exchange, and another user's user_id.
        Assert.Contains("ACCESS_REFUSED", await RawBroker.PublishFailureAsync(chemo, "PatientJourney.Contracts.Interventional:TacePerformed", chemo.Username));
        Assert.Contains("PRECONDITION_FAILED", await RawBroker.PublishFailureAsync(chemo, "PatientJourney.Contracts.Chemotherapy:ChemoCycleCompleted",
            BrokerAccounts.UserOf(Departments.Interventional)));

        await using var deadLetters = new DeadLetters(BrokerAccounts.ActingAs(system.Isolation.RabbitMq, Isolation.Secrets, BrokerAccounts.Redrive));
        DeadLetter? letter = null;
        await Eventually.HoldsAsync(async () => (letter = (await deadLetters.ListAsync()).FirstOrDefault(l => l.MessageId == forged.EventId.ToString())) is not null,
            "the forged TACE in the error queue");
        Assert.Equal(chemo.Username, letter!.Sender);
        Assert.Contains("interventional", letter.Reason);
        Assert.Equal(HttpStatusCode.NotFound, (await system.JourneyClient.GetAsync("/patients/SEC-5/journey")).StatusCode);
    }

    [Fact]
    public async Task A_caller_over_its_rate_limit_gets_429_while_other_callers_go_on()
    {
        await using var journey = new ServiceHost<Journey.JourneyService>(system.Isolation, settings: new Dictionary<string, string?>
        {
            ["RateLimit:PermitsPerSecond"] = "1", ["RateLimit:Burst"] = "5",
        });
        using var busy = journey.CreateClient(TestTokens.For(Roles.Clinician, "busy.caller"));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++) statuses.Add((await busy.GetAsync("/worklist")).StatusCode);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) <= 7, string.Join(",", statuses));
        await AssertRefusedAsync(await busy.GetAsync("/worklist"), HttpStatusCode.TooManyRequests);

        using var other = journey.CreateClient(TestTokens.For(Roles.Clinician, "another.caller"));
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/worklist")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_refused_with_413_naming_the_body()
    {
        var huge = Json("{\"occurredOn\":\"2012-07-24\",\"pad\":\"" + new string('x', 100_000) + "\"}");
        var response = await system.Departments["diagnosis"].PostAsync("/patients/SEC-6/visits", huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["body"]);
    }

    [Fact]
    public async Task The_dashboard_signs_users_in_and_lets_only_clinicians_and_auditors_in()
    {
        await using var dashboard = new DashboardHost(system);
        using var anonymous = dashboard.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await anonymous.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/signin", page.Headers.Location!.PathAndQuery);

        foreach (var (token, expected) in new[] { (TestTokens.For(Roles.Admin), HttpStatusCode.Forbidden), (TestTokens.For(Roles.Department(Departments.Imaging)), HttpStatusCode.Forbidden),
                     (DevelopmentTokens.Issue("x", [Roles.Clinician], key: new SymmetricSecurityKey(new byte[32])), HttpStatusCode.Unauthorized) })
        {
            using var client = dashboard.CreateClient();
            var signIn = await DashboardHost.SignInAsync(client, token);
            Assert.Equal(expected, signIn.StatusCode);
        }

        using var clinician = await dashboard.SignedInClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await clinician.GetAsync("/")).StatusCode);
    }

    private HttpClient ClientOf(string department, string token) => department switch
    {
        "diagnosis" => system.Diagnosis.CreateClient(token),
        "chemotherapy" => system.Chemotherapy.CreateClient(token),
        "interventional" => system.Interventional.CreateClient(token),
        _ => system.Imaging.CreateClient(token),
    };

    [Fact]
    public async Task A_live_journey_stream_ends_when_its_token_expires()
    {
        using var watcher = system.Journey.CreateClient(DevelopmentTokens.Issue("short.lived", [Roles.Clinician], lifetime: TimeSpan.FromSeconds(3)));
        watcher.Timeout = TimeSpan.FromSeconds(30);
        using var response = await watcher.GetAsync("/patients/SEC-STREAM/changes", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<string>();
        // The stream ends by itself (ReadLineAsync answers null) after "expired"; the heartbeat alone would take 15 s.
        for (var line = await reader.ReadLineAsync(); line is not null; line = await reader.ReadLineAsync())
            if (line.StartsWith("event:", StringComparison.Ordinal)) events.Add(line["event:".Length..].Trim());
        Assert.Equal(["watching", "expired"], events);
    }
}
