using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Hosting.Security;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Worklist;

/// <summary>
/// The navigator's worklist on the real journey (issue 30). The department's routes for the navigation facts are the
/// diagnosis service's; here the facts are published on the bus as the department publishes them.
/// </summary>
public class NavigatorWorklistTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private static DateOnly D(string iso) => DateOnly.Parse(iso);

    /// <summary>Four patients on the same plan (first CT due 2020-04-15, first visit 2020-02-15), each with one navigation story.</summary>
    private async Task ArrangeAsync()
    {
        string[] patients = ["NAV-BOOKED", "NAV-DEFERRED", "NAV-DIED", "NAV-OUTSIDE"];
        foreach (var p in patients)
        {
            await system.PostAsync("diagnosis", "/patients", new { patientId = p, sex = "unknown", birthDate = "1950-01-01", occurredOn = "2020-01-01" });
            await system.PostAsync("diagnosis", $"/patients/{p}/surveillance-plans", new { startsOn = "2020-01-15", protocol = "ct-q3m-visits-q1m" });
        }
        await DepartmentBus.PublishAsync(system.Isolation, Departments.Diagnosis,
            [
                new NavigatorAssigned { PatientId = "NAV-BOOKED", OccurredOn = D("2020-01-15"), Navigator = "nurse-a" },
                new AppointmentBooked { PatientId = "NAV-BOOKED", OccurredOn = D("2020-03-20"), Kind = "ct", ScheduledOn = D("2020-04-20"), Location = "CT suite 2" },
                new NavigatorAssigned { PatientId = "NAV-DEFERRED", OccurredOn = D("2020-01-15"), Navigator = "nurse-a" },
                new NavigatorAssigned { PatientId = "NAV-DEFERRED", OccurredOn = D("2020-03-01"), Navigator = "nurse-b" },
                new SurveillanceItemDeferred { PatientId = "NAV-DEFERRED", OccurredOn = D("2020-03-20"), Kind = "ct", Until = D("2020-06-01"), Reason = "patient abroad" },
                new PatientDied { PatientId = "NAV-DIED", OccurredOn = D("2020-03-01") },
                new OutsideResultRecorded { PatientId = "NAV-OUTSIDE", OccurredOn = D("2020-03-20"), Kind = "ct", Facility = "Other hospital" },
            ]);
        await Eventually.HoldsAsync(async () =>
            await system.JourneyEntryCountAsync("NAV-BOOKED") == 4 && await system.JourneyEntryCountAsync("NAV-DEFERRED") == 5
            && await system.JourneyEntryCountAsync("NAV-DIED") == 3 && await system.JourneyEntryCountAsync("NAV-OUTSIDE") == 3, "the navigation facts in the journey");
    }

    private async Task<(List<(string Patient, string Kind, string Status)> Rows, string Counts)> WorklistAsync(string query, HttpClient? client = null)
    {
        var response = await (client ?? system.JourneyClient).GetAsync($"/worklist?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = (await response.Content.ReadFromJsonAsync<JsonArray>())!
            .Select(r => ((string)r!["patientId"]!, (string)r["kind"]!, (string)r["status"]!))
            .Where(r => r.Item1.StartsWith("NAV-", StringComparison.Ordinal)).ToList();
        return (rows, string.Join("", response.Headers.GetValues("X-Status-Counts")));
    }

    private static List<(string, string, string)> Ct((List<(string Patient, string Kind, string Status)> Rows, string) worklist) =>
        worklist.Rows.Where(r => r.Kind == "ct").Select(r => (r.Patient, r.Kind, r.Status)).ToList();

    [Fact]
    public async Task Worklist_shows_booked_missed_deferred_and_closed_items_as_of_any_day_filters_by_navigator_and_exports_csv()
    {
        await ArrangeAsync();

        // From the index (every fact occurred by then): booked within the appointment's grace, deferred, a dead patient
        // gone, an outside result done (its next CT due 2020-06-20, upcoming).
        Assert.Equal(
            [("NAV-BOOKED", "ct", "booked"), ("NAV-OUTSIDE", "ct", "upcoming"), ("NAV-DEFERRED", "ct", "deferred")],
            Ct(await WorklistAsync("asOf=2020-04-15")).OrderBy(r => r.Item3 == "deferred").ToList());
        Assert.Equal([("NAV-BOOKED", "ct", "missed"), ("NAV-DEFERRED", "ct", "deferred")],
            Ct(await WorklistAsync("asOf=2020-05-05&status=missed,deferred")));
        Assert.Contains("missed=1", (await WorklistAsync("asOf=2020-05-05&status=missed,deferred")).Counts);
        Assert.Equal([("NAV-DEFERRED", "ct", "due")], Ct(await WorklistAsync("asOf=2020-06-01&status=due")).Where(r => r.Item1 == "NAV-DEFERRED").ToList());

        // As an auditor saw it on 2020-02-20: before the death, the booking and the deferral (recomputed from the streams).
        var before = await WorklistAsync("asOf=2020-02-20&status=due,overdue");
        Assert.Contains(("NAV-DIED", "clinic-visit", "due"), before.Rows);
        Assert.DoesNotContain(before.Rows, r => r.Status is "booked" or "deferred");
        Assert.DoesNotContain((await WorklistAsync("asOf=2020-04-15")).Rows, r => r.Patient == "NAV-DIED");

        // The navigator as of the day: NAV-DEFERRED moved from nurse-a to nurse-b on 2020-03-01.
        Assert.Equal(["NAV-BOOKED", "NAV-DEFERRED"], (await WorklistAsync("asOf=2020-02-20&navigator=nurse-a")).Rows.Select(r => r.Patient).Distinct().Order());
        Assert.Equal(["NAV-BOOKED"], (await WorklistAsync("asOf=2020-04-15&navigator=nurse-a")).Rows.Select(r => r.Patient).Distinct());
        var nurseB = system.Journey.CreateClient(TestTokens.For(Roles.Clinician, "nurse-b"));
        var mine = await WorklistAsync("asOf=2020-04-15&navigator=mine", nurseB);
        Assert.Equal(["NAV-DEFERRED"], mine.Rows.Select(r => r.Patient).Distinct());
        Assert.Equal(mine.Rows.Count, mine.Counts.Split(", ").Sum(c => int.Parse(c.Split('=')[1], System.Globalization.CultureInfo.InvariantCulture)));

        // The CSV: the same rows, a header, the JSON's fields only (no location, reason or facility).
        var csv = await nurseB.GetAsync("/worklist.csv?asOf=2020-04-15&navigator=mine");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("patientId,displayName,kind,dueOn,status,scheduledOn,deferredUntil", lines[0]);
        Assert.Contains("NAV-DEFERRED,,ct,2020-04-15,deferred,,2020-06-01", lines);
        Assert.Equal(mine.Rows.Count, lines.Length - 1);
        Assert.DoesNotContain("abroad", string.Join("\n", lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Journey_of_a_patient_who_died_shows_the_death_and_flags_a_later_fact()
    {
        await system.PostAsync("diagnosis", "/patients", new { patientId = "NAV-LATE", sex = "unknown", birthDate = "1950-01-01", occurredOn = "2020-01-01" });
        await DepartmentBus.PublishAsync(system.Isolation, Departments.Diagnosis, new PatientDied { PatientId = "NAV-LATE", OccurredOn = D("2020-03-01") });
        await system.PostAsync("diagnosis", "/patients/NAV-LATE/visits", new { occurredOn = "2020-03-05" });
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync("NAV-LATE") == 3, "the death and the later visit in the journey");

        var journey = (await system.JourneyClient.GetFromJsonAsync<JsonObject>("/patients/NAV-LATE/journey"))!;
        Assert.Equal((true, "2020-03-01"), ((bool)journey["deceased"]!, (string)journey["diedOn"]!));
        Assert.Contains(journey["flags"]!.AsArray(), f => (string)f!["code"]! == "after-death");
        var asOfBefore = (await system.JourneyClient.GetFromJsonAsync<JsonObject>("/patients/NAV-LATE/journey?asOf=2020-02-28"))!;
        Assert.False((bool)asOfBefore["deceased"]!);
    }
}
