using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.SeedLoader;

namespace PatientJourney.IntegrationTests.Clinical;

public class SeedCaseTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private static readonly SeedCase Seed = SeedCase.Load();

    // Every CT and PET/CT after the first is followed by the response the journey derives from it.
    private static readonly int ExpectedEntries = Seed.JourneyEntryCount;

    private static readonly SemaphoreSlim Loaded = new(1, 1);
    private static bool _loaded;

    private async Task LoadShuffledSeedCaseAsync()
    {
        await Loaded.WaitAsync();
        try
        {
            if (_loaded) return;
            await system.LoadSeedCaseAsync(seed =>
            {
                var order = seed.InterleavedAcrossDepartments(new Random(Environment.TickCount));
                Assert.NotEqual(seed.Requests.Select(r => r.Department), order.Select(r => r.Department));
                return order;
            });
            _loaded = true;
        }
        finally
        {
            Loaded.Release();
        }
    }

    private async Task<JsonObject> GetAsync(string path) => (await system.JourneyClient.GetFromJsonAsync<JsonObject>(path))!;

    [Fact]
    public async Task Seed_case_posted_in_shuffled_order_reads_back_in_clinical_order()
    {
        await LoadShuffledSeedCaseAsync();
        var journey = await GetAsync($"/patients/{Seed.PatientId}/journey");

        var entries = journey["entries"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.Equal(ExpectedEntries, entries.Count);
        var dates = entries.Select(e => DateOnly.Parse((string)e["occurredOn"]!)).ToList();
        Assert.Equal(dates.Order(), dates);
        Assert.Equal("PatientRegistered", (string)entries[0]["type"]!);
        Assert.Equal(new DateOnly(2012, 7, 24), dates[^1]);
        Assert.True((bool)journey["registered"]!);
        // Every department's facts, and the responses the journey derived from the scans.
        Assert.Equal(["chemotherapy", "diagnosis", "imaging", "interventional", "journey"], entries.Select(e => (string)e["department"]!).Distinct().Order());
    }

    [Fact]
    public async Task Seed_case_surveillance_as_of_2012_06_30_has_the_april_ct_done_and_the_next_due_2012_07_24()
    {
        await LoadShuffledSeedCaseAsync();
        var schedule = await GetAsync($"/patients/{Seed.PatientId}/surveillance?asOf=2012-06-30");
        var items = schedule["items"]!.AsArray().Select(i => i!.AsObject()).ToList();

        Assert.Equal("ct-q3m-visits-q1m", (string)schedule["protocol"]!);
        Assert.Contains(items, i => (string)i["kind"]! == "ct" && (string)i["status"]! == "done" && (string?)i["completedOn"] == "2012-04-24");
        var nextCt = Assert.Single(items, i => (string)i["kind"]! == "ct" && (string)i["status"]! != "done");
        Assert.Equal(("2012-07-24", "upcoming"), ((string)nextCt["dueOn"]!, (string)nextCt["status"]!));
        Assert.Equal(["2012-02-14", "2012-05-15"], items.Where(i => (string)i["kind"]! == "tace").Select(i => (string)i["completedOn"]!));
        var nextVisit = Assert.Single(items, i => (string)i["kind"]! == "clinic-visit" && (string)i["status"]! != "done");
        Assert.Equal("2012-07-24", (string)nextVisit["dueOn"]!);
    }

    [Fact]
    public async Task Seed_case_schedule_holds_echocardiograms_from_her_cumulative_dose_with_each_rule_and_its_source()
    {
        await LoadShuffledSeedCaseAsync();
        var schedule = await GetAsync($"/patients/{Seed.PatientId}/surveillance?asOf=2012-06-30");
        // Cycle 5 (2011-04-07) takes her to 300 mg/m2; the last TACE (2012-05-15) ends her anthracyclines at 560.1.
        var rules = schedule["rules"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.Equal([("esc-2022-anthracycline-250", "2011-04-07", 300m), ("esc-2022-anthracycline-survivor-high-risk", "2012-05-15", 560.1m)],
            rules.Select(r => ((string)r["id"]!, (string)r["triggeredOn"]!, (decimal)r["cumulativeMgPerM2"]!)));
        Assert.All(rules, r => Assert.Contains("Eur Heart J 2022", (string)r["source"]!["citation"]!));
        var echoes = schedule["items"]!.AsArray().Select(i => i!.AsObject()).Where(i => (string)i["kind"]! == "echocardiogram")
            .Select(i => ((string)i["rule"]!, (string)i["dueOn"]!, (string)i["status"]!)).ToList();
        Assert.Equal([("esc-2022-anthracycline-250", "2011-04-07", "overdue"), ("esc-2022-anthracycline-survivor-high-risk", "2013-05-15", "upcoming")], echoes);
        // Before cycle 5 she had none.
        var before = await GetAsync($"/patients/{Seed.PatientId}/surveillance?asOf=2011-04-06");
        Assert.DoesNotContain(before["items"]!.AsArray(), i => (string)i!["kind"]! == "echocardiogram");
        Assert.Empty(before["rules"]!.AsArray());
    }

    [Fact]
    public async Task Seed_case_doxorubicin_is_shown_systemic_locoregional_and_total_with_the_ceiling_flag()
    {
        await LoadShuffledSeedCaseAsync();
        var journey = await GetAsync($"/patients/{Seed.PatientId}/journey");
        var dox = journey["cumulativeDoxorubicinMgPerM2"]!;
        Assert.Equal((300m, 260.1m, 560.1m), ((decimal)dox["systemic"]!, (decimal)dox["locoregional"]!, (decimal)dox["total"]!));
        var flags = journey["flags"]!.AsArray().Select(f => f!.AsObject()).ToList();
        Assert.Contains(flags, f => (string)f["code"]! == "doxorubicin-550");
        var severe = Assert.Single(flags, f => (string)f["code"]! == "ctcae-grade-3-or-higher");
        Assert.Contains("urinary tract infection, CTCAE grade 3 (RfaPerformed", (string)severe["message"]!);
        Assert.Equal("CR", (string)journey["latestResponse"]!["category"]!);
        Assert.DoesNotContain(flags, f => (string)f["code"]! == "surveillance-before-last-treatment"); // the TACEs after it were planned
    }

    [Fact]
    public async Task Seed_case_gives_bsa_doses_recist_and_eortc_as_its_report_does()
    {
        await LoadShuffledSeedCaseAsync();
        var events = (await system.JourneyClient.GetFromJsonAsync<JsonArray>($"/patients/{Seed.PatientId}/events"))!.Select(e => e!.AsObject()).ToList();
        JsonObject Of(string type, string on) => events.Single(e => (string)e["type"]! == type && (string)e["occurredOn"]! == on);

        Assert.Equal(1.73m, (decimal)Of("ChemoRegimenStarted", "2011-01-10")["bsaM2"]!);
        var cycle5 = Of("ChemoCycleCompleted", "2011-04-07");
        var drugs = cycle5["drugs"]!.AsArray().ToDictionary(d => (string)d!["drug"]!, d => d!.AsObject());
        Assert.Equal((34.6m, 103.8m), ((decimal)drugs["doxorubicin"]["dosePerDayMg"]!, (decimal)drugs["doxorubicin"]["doseMg"]!));
        Assert.Equal((2595m, 10380m), ((decimal)drugs["ifosfamide"]["dosePerDayMg"]!, (decimal)drugs["ifosfamide"]["doseMg"]!));
        Assert.Equal(300m, (decimal)cycle5["cumulativeDoxorubicinMgPerM2"]!);

        Assert.DoesNotContain(events, e => (string)e["type"]! == "ResponseAssessed"); // responses are derived, not published

        var responses = await GetAsync($"/patients/{Seed.PatientId}/responses");
        var recist = responses["recist"]!.AsArray().Select(r => r!.AsObject()).ToList();
        JsonObject Ct(string on) => recist.Single(r => (string)r["assessedOn"]! == on);
        // Node by its short axis (47 mm of a 51 x 47 mm conglomerate), liver segments VIII and VI: 117 mm at baseline.
        Assert.Equal(("PR", 77m, -34.2m), ((string)Ct("2011-04-26")["category"]!, (decimal)Ct("2011-04-26")["sumOfDiametersMm"]!, (decimal)Ct("2011-04-26")["changeFromBaselinePercent"]!));
        // "No evidence of disease": the liver lesions gone, the node back under 10 mm short axis.
        Assert.Equal(["CR", "CR"], new[] { "2012-04-24", "2012-07-24" }.Select(on => (string)Ct(on)["category"]!));

        // "Complete metabolic response": the residual SUVmax 2.1 is reported as not significant (not avid).
        var pet = Assert.Single(responses["metabolic"]!.AsArray())!;
        Assert.Equal(("CMR", 9.3m, 2.1m, 5), ((string)pet["category"]!, (decimal)pet["baselinePeakSuvMax"]!, (decimal)pet["peakSuvMax"]!, (int)pet["cyclesSinceBaseline"]!));
    }

    [Fact]
    public async Task Patients_and_worklist_list_the_seed_patient_with_her_next_ct()
    {
        await LoadShuffledSeedCaseAsync();
        var patients = (await system.JourneyClient.GetFromJsonAsync<JsonArray>("/patients"))!;
        var patient = Assert.Single(patients)!;
        Assert.Equal((Seed.PatientId, "Case 1"), ((string)patient["patientId"]!, (string)patient["displayName"]!));

        // Before her latest event: recomputed from the stream.
        var worklist = (await system.JourneyClient.GetFromJsonAsync<JsonArray>("/worklist?asOf=2012-07-20&status=due"))!;
        Assert.Contains(worklist, w => (string)w!["kind"]! == "ct" && (string)w["dueOn"]! == "2012-07-24");

        // After it: from the worklist index, overdue first; her echocardiograms (cumulative anthracyclines) with them.
        var overdue = (await system.JourneyClient.GetFromJsonAsync<JsonArray>("/worklist?asOf=2013-01-01"))!;
        Assert.Equal(
            [("echocardiogram", "2011-04-07", "overdue"), ("clinic-visit", "2012-08-24", "overdue"), ("ct", "2012-10-24", "overdue"), ("echocardiogram", "2013-05-15", "upcoming")],
            overdue.Select(w => ((string)w!["kind"]!, (string)w["dueOn"]!, (string)w["status"]!)));

        // A page of one still counts them all, per status.
        using var page = await system.JourneyClient.GetAsync("/worklist?asOf=2013-01-01&limit=1");
        Assert.Single((await page.Content.ReadFromJsonAsync<JsonArray>())!);
        Assert.Equal("4", page.Headers.GetValues("X-Total-Count").Single());
        Assert.Equal("overdue=3, missed=0, due=0, booked=0, upcoming=1, deferred=0, suspended=0", page.Headers.GetValues("X-Status-Counts").Single());
    }

    [Fact]
    public async Task Loading_the_seed_case_twice_with_its_idempotency_keys_records_nothing_new()
    {
        await LoadShuffledSeedCaseAsync();
        var first = Seed.Requests[0];
        using var again = await system.PostSeedAsync(Seed, first);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var eventId = (string)(await again.Content.ReadFromJsonAsync<JsonObject>())!["eventId"]!;
        var events = (await system.JourneyClient.GetFromJsonAsync<JsonArray>($"/patients/{Seed.PatientId}/events"))!;
        Assert.Contains(events, e => (string)e!["eventId"]! == eventId);
        Assert.Equal(Seed.JourneyEventCount, events.Count);
    }
}
