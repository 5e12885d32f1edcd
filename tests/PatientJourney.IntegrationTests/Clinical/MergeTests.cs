using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Contracts.Imaging;
using PatientJourney.Hosting.Security;
using PatientJourney.IntegrationTests.Infrastructure;
using static PatientJourney.IntegrationTests.Infrastructure.CommandAnswers;

namespace PatientJourney.IntegrationTests.Clinical;

/// <summary>
/// Merging two record numbers of one person (issue 31): the diagnosis department's rules, and the survivor's journey that
/// shows both records' facts, whatever the order they reach the journey in, while the old number redirects.
/// </summary>
public class MergeTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private static readonly string[] RedirectedRoutes = ["journey", "surveillance", "measurements", "responses", "fhir", "changes"];

    private async Task RegisterAsync(string patientId, string? displayName = null) =>
        await Accepted(system.PostAsync("diagnosis", "/patients", new { patientId, sex = "female", birthDate = "1963-05-20", occurredOn = "2010-01-02", displayName }));

    private Task<HttpResponseMessage> MergeAsync(string patientId, string into, string? idempotencyKey = null) =>
        system.PostAsync("diagnosis", $"/patients/{patientId}/merge", new { into, reason = "the same person registered twice" }, idempotencyKey);

    /// <summary>A journey client that does not follow redirects, to see them.</summary>
    private HttpClient NotFollowing()
    {
        var client = system.Journey.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.For(Roles.Auditor));
        return client;
    }

    private async Task<JsonObject> JourneyAsync(string patientId) =>
        (await system.JourneyClient.GetFromJsonAsync<JsonObject>($"/patients/{patientId}/journey"))!;

    private async Task<List<string>> EntryTypesAsync(string patientId)
    {
        using var response = await NotFollowing().GetAsync($"/patients/{patientId}/journey");
        if (response.StatusCode != HttpStatusCode.OK) return [];
        var journey = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return [.. journey["entries"]!.AsArray().Select(e => (string)e!["type"]!)];
    }

    [Fact]
    public async Task A_merge_into_itself_into_or_of_a_record_merged_away_is_409_an_unregistered_survivor_404_bad_input_400_and_none_records_anything()
    {
        await RegisterAsync("MRG-R1");
        await RegisterAsync("MRG-R2");
        await RegisterAsync("MRG-R3");
        await Accepted(MergeAsync("MRG-R1", "MRG-R2"));
        var before = await system.DepartmentEventCountsAsync();

        await Refused(MergeAsync("MRG-R3", "MRG-R3"), HttpStatusCode.Conflict, "into");
        await Refused(MergeAsync("MRG-R1", "MRG-R3"), HttpStatusCode.Conflict, "patientId"); // already merged away
        await Refused(MergeAsync("MRG-R3", "MRG-R1"), HttpStatusCode.Conflict, "into"); // into a record merged away
        await Refused(MergeAsync("MRG-R3", "MRG-NOBODY"), HttpStatusCode.NotFound, "into");
        await Refused(system.PostAsync("diagnosis", "/patients/MRG-R3/merge", new { reason = "x" }), HttpStatusCode.BadRequest, "into");
        await Refused(system.PostAsync("diagnosis", "/patients/MRG-R3/merge", new { into = "not an id!", reason = "x" }), HttpStatusCode.BadRequest, "into");
        await Refused(system.PostAsync("diagnosis", "/patients/MRG-R3/merge", new { into = "MRG-R2" }), HttpStatusCode.BadRequest, "reason");
        await Refused(system.PostAsync("diagnosis", "/patients/MRG-R3/merge", new { into = 42, reason = "x" }), HttpStatusCode.BadRequest, "into");

        Assert.Equal(before, await system.DepartmentEventCountsAsync());
    }

    [Fact]
    public async Task A_repeated_merge_under_one_Idempotency_Key_is_recorded_once_and_a_navigator_may_not_merge()
    {
        await RegisterAsync("MRG-I1");
        await RegisterAsync("MRG-I2");
        using var navigator = system.Diagnosis.CreateClient(TestTokens.For(Roles.Navigator, "nurse.navigator"));
        using (var byNavigator = await navigator.PostAsJsonAsync("/patients/MRG-I1/merge", new { into = "MRG-I2", reason = "duplicate" }))
            Assert.Equal(HttpStatusCode.Forbidden, byNavigator.StatusCode);
        var before = await system.DepartmentEventCountsAsync();

        var first = await Accepted(MergeAsync("MRG-I1", "MRG-I2", idempotencyKey: "mrg-i1"));
        // Without the key this would be a merge of a record already merged away (409); with it, the first answer again.
        var again = await Accepted(MergeAsync("MRG-I1", "MRG-I2", idempotencyKey: "mrg-i1"));

        Assert.Equal("PatientsMerged", (string)first["type"]!);
        Assert.Equal(first["eventId"]!.GetValue<Guid>(), again["eventId"]!.GetValue<Guid>());
        Assert.Equal(before["diagnosis"] + 1, (await system.DepartmentEventCountsAsync())["diagnosis"]);
    }

    [Fact]
    public async Task The_survivor_shows_both_records_with_the_merge_the_old_number_redirects_and_later_facts_under_it_join_the_survivor()
    {
        const string Survivor = "MRG-S1", Old = "MRG-A1";
        await RegisterAsync(Survivor, "Survivor");
        await Accepted(system.PostAsync("diagnosis", $"/patients/{Survivor}/surveillance-plans", new { startsOn = "2012-01-24", protocol = "ct-q3m-visits-q1m" }));
        await RegisterAsync(Old, "Duplicate");
        await Accepted(system.PostAsync("imaging", $"/patients/{Old}/ct", new { performedOn = "2012-04-20", region = "chest", targetLesions = Array.Empty<object>() }));
        await Eventually.HoldsAsync(async () => (await EntryTypesAsync(Old)).Count == 2 && (await EntryTypesAsync(Survivor)).Count == 2, "both records in the journey");

        await Accepted(MergeAsync(Old, Survivor));
        await Eventually.HoldsAsync(async () => (await EntryTypesAsync(Survivor)).Contains("PatientsMerged"), "the merge in the survivor's journey");

        var journey = await JourneyAsync(Survivor);
        Assert.Equal(["PatientRegistered", "PatientRegistered", "SurveillancePlanStarted", "CtResulted", "PatientsMerged"],
            journey["entries"]!.AsArray().Select(e => (string)e!["type"]!).ToArray());
        // The CT under the old number completes the survivor's first CT of the plan.
        var surveillance = (await system.JourneyClient.GetFromJsonAsync<JsonObject>($"/patients/{Survivor}/surveillance?asOf=2012-05-01"))!;
        Assert.Contains(surveillance["items"]!.AsArray(), i => (string)i!["kind"]! == "ct" && (string?)i["completedOn"] == "2012-04-20");

        // The old number: out of the patients list and the worklist, 308 on every journey read route, its own stream to auditors.
        var patients = (await system.JourneyClient.GetFromJsonAsync<JsonArray>("/patients"))!;
        Assert.DoesNotContain(patients, p => (string)p!["patientId"]! == Old);
        Assert.Equal("Survivor", (string?)patients.Single(p => (string)p!["patientId"]! == Survivor)!["displayName"]);
        var worklist = (await system.JourneyClient.GetFromJsonAsync<JsonArray>("/worklist?asOf=2030-01-01"))!;
        Assert.DoesNotContain(worklist, row => (string)row!["patientId"]! == Old);
        Assert.Contains(worklist, row => (string)row!["patientId"]! == Survivor);
        using var client = NotFollowing();
        foreach (var route in RedirectedRoutes)
        {
            using var response = await client.GetAsync($"/patients/{Old}/{route}?asOf=2013-01-01");
            Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
            Assert.Equal($"/patients/{Survivor}/{route}?asOf=2013-01-01", response.Headers.Location!.OriginalString);
        }
        var events = (await client.GetFromJsonAsync<JsonArray>($"/patients/{Old}/events"))!;
        Assert.Equal(["PatientRegistered", "CtResulted", "PatientsMerged"], events.Select(e => (string)e!["type"]!).ToArray());
        using (var verify = await client.GetAsync($"/patients/{Old}/verify"))
            Assert.Equal(HttpStatusCode.OK, verify.StatusCode);

        // A department that still uses the old number: accepted, kept in the old record's stream, shown at the survivor.
        await Accepted(system.PostAsync("diagnosis", $"/patients/{Old}/visits", new { occurredOn = "2012-02-24" }));
        await Eventually.HoldsAsync(async () => (await EntryTypesAsync(Survivor)).Contains("ClinicVisitRecorded"), "the late visit at the survivor");
        Assert.Equal(4, (await client.GetFromJsonAsync<JsonArray>($"/patients/{Old}/events"))!.Count);
        Assert.Equal(HttpStatusCode.PermanentRedirect, (await client.GetAsync($"/patients/{Old}/journey")).StatusCode);
        Assert.DoesNotContain((await system.JourneyClient.GetFromJsonAsync<JsonArray>("/patients"))!, p => (string)p!["patientId"]! == Old);
    }

    [Fact]
    public async Task In_a_chain_of_merges_the_first_record_shows_at_and_redirects_to_the_last_survivor()
    {
        await RegisterAsync("MRG-CA");
        await RegisterAsync("MRG-CB");
        await RegisterAsync("MRG-CC");
        await Accepted(system.PostAsync("diagnosis", "/patients/MRG-CA/visits", new { occurredOn = "2015-03-03" }));
        await Accepted(MergeAsync("MRG-CA", "MRG-CB"));
        await Accepted(MergeAsync("MRG-CB", "MRG-CC"));

        await Eventually.HoldsAsync(async () => (await EntryTypesAsync("MRG-CC")).Count(t => t == "PatientsMerged") == 2, "both merges at the last survivor");
        Assert.Contains("ClinicVisitRecorded", await EntryTypesAsync("MRG-CC"));
        Assert.Equal(3, (await EntryTypesAsync("MRG-CC")).Count(t => t == "PatientRegistered"));
        using var client = NotFollowing();
        using var response = await client.GetAsync("/patients/MRG-CA/journey");
        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal("/patients/MRG-CC/journey", response.Headers.Location!.OriginalString);
        var patients = (await system.JourneyClient.GetFromJsonAsync<JsonArray>("/patients"))!.Select(p => (string)p!["patientId"]!).ToList();
        Assert.Contains("MRG-CC", patients);
        Assert.DoesNotContain("MRG-CA", patients);
        Assert.DoesNotContain("MRG-CB", patients);
    }

    [Fact]
    public async Task The_survivor_journey_and_schedule_are_the_same_whatever_order_the_facts_and_the_merge_arrive_in()
    {
        static DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);
        // Each fact with its own date, so that the clinical order never falls back on when a fact was sent.
        static ClinicalEvent[] Facts(string survivor, string old) =>
        [
            new PatientRegistered { PatientId = survivor, OccurredOn = D("2011-01-03"), Sex = Sex.Female, BirthDate = D("1963-05-20"), DisplayName = "Survivor" },
            new SurveillancePlanStarted { PatientId = survivor, OccurredOn = D("2012-01-24"), Protocol = "ct-q3m-visits-q1m" },
            new PatientRegistered { PatientId = old, OccurredOn = D("2011-01-04"), Sex = Sex.Female, BirthDate = D("1963-05-20"), DisplayName = "Duplicate" },
            new CtResulted { PatientId = old, OccurredOn = D("2012-04-20"), Region = "chest", TargetLesions = [] },
            new PatientsMerged { PatientId = old, OccurredOn = D("2013-01-01"), Into = survivor, Reason = "duplicate" },
            new ClinicVisitRecorded { PatientId = old, OccurredOn = D("2012-02-24") }, // under the old number, after the merge
        ];
        int[][] orders = [[0, 1, 2, 3, 4, 5], [4, 5, 3, 2, 1, 0], [2, 3, 4, 0, 5, 1], [4, 0, 1, 2, 3, 5]];

        var answers = new List<string>();
        var buses = new Dictionary<string, MassTransit.IBusControl>
        {
            [Departments.Diagnosis] = await DepartmentBus.StartAsync(system.Isolation, Departments.Diagnosis),
            [Departments.Imaging] = await DepartmentBus.StartAsync(system.Isolation, Departments.Imaging),
        };
        try
        {
            for (var o = 0; o < orders.Length; o++)
            {
                string survivor = $"MRG-OS{o}", old = $"MRG-OA{o}";
                var facts = Facts(survivor, old);
                foreach (var i in orders[o])
                {
                    // One at a time, each held by the journey before the next is sent: the order is the arrival order.
                    var fact = facts[i] with { EventId = Guid.CreateVersion7(), RecordedAt = DateTimeOffset.UtcNow };
                    await buses[fact.Department].Publish(fact, fact.GetType());
                    await Eventually.HoldsAsync(async () =>
                    {
                        using var held = await NotFollowing().GetAsync($"/patients/{fact.PatientId}/events");
                        return held.IsSuccessStatusCode && (await held.Content.ReadAsStringAsync()).Contains(fact.EventId.ToString(), StringComparison.Ordinal);
                    }, $"fact {i} of order {o} in the journey");
                }
                answers.Add(await NormalisedAsync(survivor, old));
            }
        }
        finally
        {
            foreach (var bus in buses.Values) await bus.StopAsync();
        }

        Assert.Contains("PatientsMerged", answers[0]);
        Assert.Contains("ClinicVisitRecorded", answers[0]);
        Assert.All(answers, a => Assert.Equal(answers[0], a));
    }

    /// <summary>The survivor's journey (types, dates, summaries), schedule and list entry, with the order's ids taken out.</summary>
    private async Task<string> NormalisedAsync(string survivor, string old)
    {
        var journey = await JourneyAsync(survivor);
        var entries = journey["entries"]!.AsArray().Select(e => $"{e!["type"]} {e["occurredOn"]} {e["summary"]}");
        var schedule = (await system.JourneyClient.GetFromJsonAsync<JsonObject>($"/patients/{survivor}/surveillance?asOf=2013-06-01"))!["items"]!.AsArray()
            .Select(i => $"{i!["kind"]} {i["dueOn"]} {i["status"]} {i["completedOn"]}");
        var listed = (await system.JourneyClient.GetFromJsonAsync<JsonArray>("/patients"))!
            .Where(p => (string)p!["patientId"]! == survivor || (string)p["patientId"]! == old).Select(p => p!.ToJsonString());
        using var redirect = await NotFollowing().GetAsync($"/patients/{old}/journey");
        return string.Join("\n", entries.Concat(schedule).Concat(listed).Append(((int)redirect.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Replace(survivor, "SURVIVOR", StringComparison.Ordinal).Replace(old, "OLD", StringComparison.Ordinal);
    }
}
