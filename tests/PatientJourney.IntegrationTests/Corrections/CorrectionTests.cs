using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PatientJourney.Contracts;
using PatientJourney.Hosting.Security;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.Harness;
using PatientJourney.Journey.PatientJourneys;
using PatientJourney.Journey.Projections;
using PatientJourney.Journey.Worklist;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace PatientJourney.IntegrationTests.Corrections;

/// <summary>Retracting and amending facts at the department that recorded them, and what the journey derives after.</summary>
public class CorrectionTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    // 25 mg/m2 doxorubicin on days 1-3: 75 mg/m2 a cycle (the dashboard's cardiac tests give four).
    internal const string Regimen = """{"regimenId":"AI-1","name":"AI","startedOn":"2011-01-10","cycleLengthDays":21,"heightCm":165,"weightKg":65,"drugs":[{"drug":"doxorubicin","dosePerM2Mg":25,"days":[1,2,3],"route":"iv","purpose":"antineoplastic"}]}""";

    internal static object Cycle(int n, decimal reduction = 0) => new
    {
        cycleNumber = n, startedOn = new DateOnly(2011, 1, 10).AddDays(21 * (n - 1)), completedOn = new DateOnly(2011, 1, 12).AddDays(21 * (n - 1)),
        doseReductionPercent = reduction,
    };

    private static HttpClient As(HttpClient client, string role, string user)
    {
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.For(role, user));
        return client;
    }

    private async Task<Guid> AcceptedAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!["eventId"]!.GetValue<Guid>();
        }
    }

    private static async Task<JsonObject> RefusedAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return JsonNode.Parse(text)!.AsObject();
        }
    }

    private Task<HttpResponseMessage> PostJsonAsync(string department, string path, string json, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return system.Departments[department].SendAsync(request);
    }

    private async Task<JsonObject> JourneyAsync(string patientId, string query = "") =>
        (await system.JourneyClient.GetFromJsonAsync<JsonObject>($"/patients/{patientId}/journey{query}"))!;

    private static decimal Systemic(JsonObject journey) => journey["cumulativeDoxorubicinMgPerM2"]!["systemic"]!.GetValue<decimal>();

    private static JsonObject Entry(JsonObject journey, Guid id) =>
        journey["entries"]!.AsArray().Single(e => e!["eventId"]!.GetValue<Guid>() == id)!.AsObject();

    private async Task<Guid[]> RegimenWithCyclesAsync(string patientId, int cycles)
    {
        var ids = new List<Guid> { await AcceptedAsync(await PostJsonAsync("chemotherapy", $"/patients/{patientId}/regimens", Regimen)) };
        for (var n = 1; n <= cycles; n++)
            ids.Add(await AcceptedAsync(await system.PostAsync("chemotherapy", $"/patients/{patientId}/regimens/AI-1/cycles", Cycle(n))));
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(patientId) == cycles + 1, "the regimen and its cycles in the journey");
        return [.. ids];
    }

    [Fact]
    public async Task Cycles_are_corrected_from_the_latest_back_and_a_corrected_dose_leaves_the_ledger_while_the_journey_lists_it_marked_with_reason_and_author()
    {
        const string P = "CORR-LEDGER";
        var ids = await RegimenWithCyclesAsync(P, 3);
        Assert.Equal(225m, Systemic(await JourneyAsync(P)));
        var beforeCorrections = DateTimeOffset.UtcNow;
        using var pharmacist = As(system.Chemotherapy.CreateClient(), Roles.Department(Departments.Chemotherapy), "pharmacist.1");

        // Cycle 2 while cycle 3 stands: cycle 3's cumulative dose was computed from it.
        var counts = await system.DepartmentEventCountsAsync();
        var refused = await RefusedAsync(await pharmacist.PostAsJsonAsync($"/patients/{P}/events/{ids[2]}/retract", new { reason = "entered twice" }), HttpStatusCode.Conflict);
        Assert.Contains("eventId", refused["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(counts, await system.DepartmentEventCountsAsync());

        // Cycle 3 was given with a 20 % reduction: amended with its own command's body, decided as that command decides.
        var amended = await AcceptedAsync(await pharmacist.PostAsJsonAsync($"/patients/{P}/events/{ids[3]}/amend",
            new { reason = "the 20 % dose reduction was left out", body = Cycle(3, 20) }));
        await Eventually.HoldsAsync(async () => Systemic(await JourneyAsync(P)) == 210m, "the amended dose in the ledger (75 + 75 + 60)");
        var journey = await JourneyAsync(P);
        Assert.Equal(amended, Entry(journey, ids[3])["amendedBy"]!.GetValue<Guid>());
        Assert.Equal(ids[3], Entry(journey, amended)["amends"]!.GetValue<Guid>());
        Assert.Equal("pharmacist.1", Entry(journey, ids[3])["correction"]!["by"]!.GetValue<string>());
        Assert.Equal("the 20 % dose reduction was left out", Entry(journey, amended)["correction"]!["reason"]!.GetValue<string>());

        // The replaced version is no longer corrected; the current one is, and only once.
        await RefusedAsync(await pharmacist.PostAsJsonAsync($"/patients/{P}/events/{ids[3]}/retract", new { reason = "x" }), HttpStatusCode.Conflict);
        await AcceptedAsync(await pharmacist.PostAsJsonAsync($"/patients/{P}/events/{amended}/retract", new { reason = "cycle 3 was never given" }));
        await RefusedAsync(await pharmacist.PostAsJsonAsync($"/patients/{P}/events/{amended}/retract", new { reason = "again" }), HttpStatusCode.Conflict);
        await AcceptedAsync(await pharmacist.PostAsJsonAsync($"/patients/{P}/events/{ids[2]}/retract", new { reason = "entered twice" }));
        await Eventually.HoldsAsync(async () => Systemic(await JourneyAsync(P)) == 75m, "only cycle 1 in the ledger");

        journey = await JourneyAsync(P);
        var cycle2 = Entry(journey, ids[2]);
        Assert.True(cycle2["retracted"]!.GetValue<bool>());
        Assert.Equal(("entered twice", "pharmacist.1"), (cycle2["correction"]!["reason"]!.GetValue<string>(), cycle2["correction"]!["by"]!.GetValue<string>()));
        Assert.Equal(5, journey["entries"]!.AsArray().Count); // regimen, cycles 1-3 and the amended cycle 3: nothing hidden

        // As known before the corrections: the record as it was shown then.
        var before = await JourneyAsync(P, $"?asKnownAt={Uri.EscapeDataString(beforeCorrections.ToString("O"))}");
        Assert.Equal(225m, Systemic(before));
        Assert.All(before["entries"]!.AsArray(), e => Assert.False(e!["retracted"]!.GetValue<bool>()));

        // The chain covers the corrections; the FHIR export keeps the retracted cycle as entered-in-error.
        using var auditor = system.Journey.CreateClient(TestTokens.For(Roles.Auditor));
        var chain = (await auditor.GetFromJsonAsync<JsonObject>($"/patients/{P}/verify"))!;
        Assert.Equal((true, 7), (chain["intact"]!.GetValue<bool>(), chain["events"]!.GetValue<int>()));
        var fhir = (await auditor.GetFromJsonAsync<JsonObject>($"/patients/{P}/fhir"))!;
        var administrations = fhir["entry"]!.AsArray().Select(e => e!["resource"]!).Where(r => (string?)r["resourceType"] == "MedicationAdministration").ToList();
        Assert.Contains(administrations, r => (string?)r["status"] == "entered-in-error");
        Assert.Contains(administrations, r => (string?)r["status"] == "completed");
    }

    [Fact]
    public async Task A_correction_is_refused_for_a_fact_of_another_patient_or_department_or_without_its_reason_or_by_anyone_else_and_records_nothing()
    {
        const string P = "CORR-REFUSED";
        var ids = await RegimenWithCyclesAsync(P, 1);
        var ct = await AcceptedAsync(await system.PostAsync("imaging", $"/patients/{P}/ct",
            new { performedOn = "2011-01-05", region = "abdomen", targetLesions = new[] { new { lesionId = "a", site = "liver", longestDiameterMm = 42 } } }));
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(P) == 3, "the CT in the journey");
        var counts = await system.DepartmentEventCountsAsync();

        async Task<JsonObject> Refused(string department, string path, object body, HttpStatusCode status) =>
            await RefusedAsync(await system.PostAsync(department, path, body), status);
        Assert.NotNull((await Refused("chemotherapy", $"/patients/CORR-OTHER/events/{ids[1]}/retract", new { reason = "x" }, HttpStatusCode.NotFound))["errors"]!["eventId"]);
        await Refused("chemotherapy", $"/patients/{P}/events/{ct}/retract", new { reason = "x" }, HttpStatusCode.NotFound); // imaging's fact
        await Refused("chemotherapy", $"/patients/{P}/events/not-an-id/retract", new { reason = "x" }, HttpStatusCode.NotFound);
        Assert.NotNull((await Refused("chemotherapy", $"/patients/{P}/events/{ids[1]}/retract", new { }, HttpStatusCode.BadRequest))["errors"]!["reason"]);
        Assert.NotNull((await Refused("chemotherapy", $"/patients/{P}/events/{ids[1]}/amend", new { reason = "x", body = new { cycleNumber = 0, startedOn = "2011-01-10", completedOn = "2011-01-12" } },
            HttpStatusCode.BadRequest))["errors"]!["body.cycleNumber"]);
        // A body that records another cycle than the one it amends is decided as that command decides it: cycle 2 is not next.
        Assert.NotNull((await Refused("chemotherapy", $"/patients/{P}/events/{ids[1]}/amend", new { reason = "x", body = Cycle(2) }, HttpStatusCode.Conflict))["errors"]!["body.cycleNumber"]);
        Assert.NotNull((await Refused("imaging", $"/patients/{P}/events/{ct}/amend", new { reason = "x", body = new { cycleNumber = 1 } }, HttpStatusCode.BadRequest))["errors"]);

        using var navigator = system.Chemotherapy.CreateClient(TestTokens.For(Roles.Navigator, "nurse.navigator"));
        Assert.Equal(HttpStatusCode.Forbidden, (await navigator.PostAsJsonAsync($"/patients/{P}/events/{ids[1]}/retract", new { reason = "x" })).StatusCode);
        using var imaging = system.Chemotherapy.CreateClient(TestTokens.For(Roles.Department(Departments.Imaging)));
        Assert.Equal(HttpStatusCode.Forbidden, (await imaging.PostAsJsonAsync($"/patients/{P}/events/{ids[1]}/retract", new { reason = "x" })).StatusCode);
        Assert.Equal(counts, await system.DepartmentEventCountsAsync());

        // Idempotency-Key: the same retraction sent twice is recorded once and answered alike.
        const string Retraction = """{"reason":"wrong patient"}""";
        var first = await AcceptedAsync(await PostJsonAsync("imaging", $"/patients/{P}/events/{ct}/retract", Retraction, key: "retract-ct-1"));
        var again = await AcceptedAsync(await PostJsonAsync("imaging", $"/patients/{P}/events/{ct}/retract", Retraction, key: "retract-ct-1"));
        Assert.Equal(first, again);
        Assert.Equal(counts[Departments.Imaging] + 1, (await system.DepartmentEventCountsAsync())[Departments.Imaging]);
    }

    [Fact]
    public async Task Responses_are_derived_again_from_the_measurements_that_stand_after_an_amendment_and_a_retraction()
    {
        const string P = "CORR-RECIST";
        object Ct(string on, decimal mm) => new { performedOn = on, region = "abdomen", targetLesions = new[] { new { lesionId = "a", site = "liver", longestDiameterMm = mm } } };
        var baseline = await AcceptedAsync(await system.PostAsync("imaging", $"/patients/{P}/ct", Ct("2012-01-10", 50)));
        var followUp = await AcceptedAsync(await system.PostAsync("imaging", $"/patients/{P}/ct", Ct("2012-04-10", 30)));
        var third = await AcceptedAsync(await system.PostAsync("imaging", $"/patients/{P}/ct", Ct("2012-07-10", 31)));
        async Task<string[]> CategoriesAsync() => (await system.JourneyClient.GetFromJsonAsync<JsonObject>($"/patients/{P}/responses"))!["recist"]!.AsArray()
            .Select(r => r!["category"]!.GetValue<string>()).ToArray();
        await Eventually.HoldsAsync(async () => (await CategoriesAsync()).SequenceEqual(["PR", "PR"]), "partial responses (-40 %, -38 %)");

        // The follow-up was measured on the wrong series: 45 mm, stable; the third scan is now judged against it as nadir.
        await AcceptedAsync(await system.PostAsync("imaging", $"/patients/{P}/events/{followUp}/amend", new { reason = "measured on the wrong series", body = Ct("2012-04-10", 45) }));
        await Eventually.HoldsAsync(async () => (await CategoriesAsync()).SequenceEqual(["SD", "PR"]), "stable disease, then -38 % from baseline");

        // Without its baseline the amended follow-up is the baseline: one response, for the third scan.
        await AcceptedAsync(await system.PostAsync("imaging", $"/patients/{P}/events/{baseline}/retract", new { reason = "another patient's scan" }));
        await Eventually.HoldsAsync(async () => (await CategoriesAsync()).SequenceEqual(["PR"]), "the third scan against the new baseline");
        Assert.Equal(third, (await JourneyAsync(P))["latestResponse"]!["eventId"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task Corrections_arriving_before_the_facts_they_correct_wait_for_them_and_a_rebuild_gives_the_same_read_models()
    {
        // The same facts and corrections for two patients, published in two orders: as recorded, and each correction
        // before the fact it corrects.
        DateOnly D(string iso) => DateOnly.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);
        var at = new DateTimeOffset(2020, 4, 1, 9, 0, 0, TimeSpan.Zero);
        ClinicalEvent[] Facts(string patientId)
        {
            var first = Guid.CreateVersion7();
            var second = Guid.CreateVersion7();
            var amendment = Guid.CreateVersion7();
            return
            [
                new Contracts.Diagnosis.PatientRegistered { EventId = Guid.CreateVersion7(), PatientId = patientId, OccurredOn = D("2020-01-01"), Sex = Contracts.Diagnosis.Sex.Female, BirthDate = D("1960-01-01"), RecordedAt = at },
                new Contracts.Diagnosis.SurveillancePlanStarted { EventId = Guid.CreateVersion7(), PatientId = patientId, OccurredOn = D("2020-01-15"), Protocol = "ct-q3m-visits-q1m", RecordedAt = at.AddMinutes(1) },
                new Contracts.Diagnosis.ClinicVisitRecorded { EventId = first, PatientId = patientId, OccurredOn = D("2020-02-15"), Ecog = 1, RecordedAt = at.AddMinutes(2) },
                new Contracts.Diagnosis.ClinicVisitRecorded { EventId = second, PatientId = patientId, OccurredOn = D("2020-03-15"), Ecog = 1, RecordedAt = at.AddMinutes(3) },
                new Contracts.Diagnosis.ClinicVisitRecorded
                {
                    EventId = amendment, PatientId = patientId, OccurredOn = D("2020-02-20"), Ecog = 2, Amends = first, AmendmentReason = "wrong day", RecordedAt = at.AddMinutes(4),
                },
                new Contracts.Diagnosis.DiagnosisFactRetracted
                {
                    EventId = Guid.CreateVersion7(), PatientId = patientId, OccurredOn = D("2020-03-15"), RetractedEventId = second, Reason = "another patient's visit", RecordedAt = at.AddMinutes(5),
                },
            ];
        }
        var recorded = Facts("ORDER-RECORDED");
        var reversed = Facts("ORDER-REVERSED");
        await DepartmentBus.PublishAsync(system.Isolation, Departments.Diagnosis, recorded);
        await DepartmentBus.PublishAsync(system.Isolation, Departments.Diagnosis, [.. reversed.Reverse()]);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync("ORDER-RECORDED") == 5 && await system.JourneyEntryCountAsync("ORDER-REVERSED") == 5,
            "both patients' facts in the journey");

        // The same journey and schedule, once each patient's own ids are named by their place in the list.
        async Task<string> ComparableAsync(string patientId, ClinicalEvent[] facts)
        {
            var text = (await system.JourneyClient.GetStringAsync($"/patients/{patientId}/journey"))
                + await system.JourneyClient.GetStringAsync($"/patients/{patientId}/surveillance?asOf=2020-06-01");
            for (var i = 0; i < facts.Length; i++) text = text.Replace(facts[i].EventId.ToString(), $"fact-{i}", StringComparison.Ordinal);
            return System.Text.RegularExpressions.Regex.Replace(text.Replace(patientId, "P", StringComparison.Ordinal), "\"recordedAt\":\"[^\"]+\"", "");
        }
        var expected = await ComparableAsync("ORDER-RECORDED", recorded);
        Assert.Equal(expected, await ComparableAsync("ORDER-REVERSED", reversed));
        var journey = await JourneyAsync("ORDER-REVERSED");
        Assert.True(Entry(journey, reversed[3].EventId)["retracted"]!.GetValue<bool>());
        Assert.Equal(reversed[4].EventId, Entry(journey, reversed[2].EventId)["amendedBy"]!.GetValue<Guid>());

        await system.AssertRebuildGivesTheSameReadModelsAsync();
    }
}
