using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PatientJourney.Chemotherapy;
using PatientJourney.Diagnosis;
using PatientJourney.Imaging;
using PatientJourney.Interventional;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.Journey;
using PatientJourney.SeedLoader;

namespace PatientJourney.IntegrationTests.Clinical;

public class SimulatedDaysTests
{
    [Fact]
    public async Task Seed_case_recorded_over_simulated_days_shows_the_schedule_as_known_each_day_differing_only_where_reports_came_late()
    {
        await using var isolation = await Isolation.CreateAsync();
        var clock = new SimulatedClock();
        // "Known at" is the journey's own clock: it lives the same simulated days.
        await using var journey = new ServiceHost<JourneyService>(isolation, clock);
        var journeyClient = journey.CreateClient();
        await Eventually.HoldsAsync(() => Task.FromResult(journey.BusIsReady()), "journey bus ready");
        await using var diagnosis = new ServiceHost<DiagnosisService>(isolation, clock);
        await using var chemotherapy = new ServiceHost<ChemotherapyService>(isolation, clock);
        await using var interventional = new ServiceHost<InterventionalService>(isolation, clock);
        await using var imaging = new ServiceHost<ImagingService>(isolation, clock);
        var departments = new Dictionary<string, HttpClient>
        {
            ["diagnosis"] = diagnosis.CreateClient(), ["chemotherapy"] = chemotherapy.CreateClient(),
            ["interventional"] = interventional.CreateClient(), ["imaging"] = imaging.CreateClient(),
        };

        // Every fact is recorded in the evening of its clinical day, except two reports typed in late; the journey stores
        // it that evening (the clock moves on only once the journey has it).
        var late = new Dictionary<string, DateOnly>
        {
            ["/ct 2012-04-24"] = new(2012, 5, 20),
            ["/visits 2012-06-24"] = new(2012, 7, 10),
        };
        var seed = SeedCase.Load();
        DateOnly ClinicalDay(SeedRequest r) => DateOnly.Parse((string)(r.Body["occurredOn"] ?? r.Body["performedOn"] ?? r.Body["completedOn"] ?? r.Body["stoppedOn"] ?? r.Body["startsOn"] ?? r.Body["startedOn"])!);
        DateOnly RecordedDay(SeedRequest r) => late.GetValueOrDefault($"/{r.Path.Split('/')[^1]} {ClinicalDay(r):yyyy-MM-dd}", ClinicalDay(r));
        foreach (var request in seed.Requests.OrderBy(RecordedDay)) // stable: each department keeps its own order
        {
            clock.Now = new DateTimeOffset(RecordedDay(request).ToDateTime(new TimeOnly(18, 0)), TimeSpan.Zero);
            using var response = await SeedCase.PostAsync(departments[request.Department], request, seed.IdempotencyKey(request));
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{request.Path}: {await response.Content.ReadAsStringAsync()}");
            var eventId = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["eventId"]!;
            await Eventually.HoldsAsync(async () =>
            {
                var r = await journeyClient.GetAsync($"/patients/{seed.PatientId}/events");
                return r.IsSuccessStatusCode && (await r.Content.ReadFromJsonAsync<JsonArray>())!.Any(e => (string)e!["eventId"]! == eventId);
            }, $"{request.Path} in the journey");
        }
        await Eventually.HoldsAsync(async () =>
        {
            var r = await journeyClient.GetAsync($"/patients/{seed.PatientId}/events");
            return r.IsSuccessStatusCode && (await r.Content.ReadFromJsonAsync<JsonArray>())!.Count == seed.JourneyEventCount;
        }, "seed case in the journey");

        async Task<HashSet<string>> Schedule(string day, bool asKnownThatDay)
        {
            var url = $"/patients/{seed.PatientId}/surveillance?asOf={day}" + (asKnownThatDay ? $"&asKnownAt={day}T23:59:59Z" : "");
            var schedule = (await journeyClient.GetFromJsonAsync<JsonObject>(url))!;
            return schedule["items"]!.AsArray().Select(i => $"{i!["kind"]} {i["dueOn"]} {i["status"]}").ToHashSet();
        }

        // (day, items shown only as known that day, items shown only with hindsight)
        var expected = new (string Day, string[] KnownOnly, string[] HindsightOnly)[]
        {
            ("2012-05-01", ["ct 2012-04-24 due"], ["ct 2012-04-24 done", "ct 2012-07-24 upcoming"]),
            ("2012-05-21", [], []),
            ("2012-06-30", ["clinic-visit 2012-06-24 due"], ["clinic-visit 2012-06-24 done", "clinic-visit 2012-07-24 upcoming"]),
            ("2012-07-11", [], []),
        };
        foreach (var (day, knownOnly, hindsightOnly) in expected)
        {
            var known = await Schedule(day, asKnownThatDay: true);
            var hindsight = await Schedule(day, asKnownThatDay: false);
            Assert.Equal(knownOnly.Order(), known.Except(hindsight).Order());
            Assert.Equal(hindsightOnly.Order(), hindsight.Except(known).Order());
        }

        // What the worklist showed that evening.
        var worklist = (await journeyClient.GetFromJsonAsync<JsonArray>("/worklist?asOf=2012-06-30&asKnownAt=2012-06-30T23:59:59Z"))!;
        Assert.Contains(worklist, w => (string)w!["kind"]! == "clinic-visit" && (string)w["dueOn"]! == "2012-06-24" && (string)w["status"]! == "due");
    }
}
