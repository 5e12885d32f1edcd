using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PatientJourney.Hosting.Security;
using PatientJourney.IntegrationTests.Infrastructure;
using static PatientJourney.IntegrationTests.Infrastructure.CommandAnswers;

namespace PatientJourney.IntegrationTests.Clinical;

/// <summary>The navigation facts at the diagnosis department: accepted, refused with 400 or 409 recording nothing, idempotent, and open to navigators.</summary>
public class NavigationCommandTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    private static string Day(int daysFromToday) => Today.AddDays(daysFromToday).ToString("yyyy-MM-dd");

    /// <summary>A registered patient (born 1963-05-20) on the monthly-visit, 3-monthly CT plan, with a TACE planned by the MDT.</summary>
    private async Task OnSurveillanceAsync(string patientId)
    {
        await Accepted(system.PostAsync("diagnosis", "/patients", new { patientId, sex = "female", birthDate = "1963-05-20" }));
        await Accepted(system.PostAsync("diagnosis", $"/patients/{patientId}/mdt-decisions", new
        {
            occurredOn = "2012-01-24", decision = "2 more TACE", plannedProcedures = new[] { new { procedure = "tace", sessions = 2, intervalMonths = 3 } },
        }));
        await Accepted(system.PostAsync("diagnosis", $"/patients/{patientId}/surveillance-plans", new { startsOn = "2012-01-24", protocol = "ct-q3m-visits-q1m" }));
    }

    [Fact]
    public async Task Each_navigation_fact_is_accepted_and_dated_by_its_own_date_or_today()
    {
        const string P = "NAV-1";
        await OnSurveillanceAsync(P);

        Assert.Equal("NavigatorAssigned", (await Accepted(system.PostAsync("diagnosis", $"/patients/{P}/navigator", new { navigator = "nurse.navigator" })))["type"]!.GetValue<string>());
        Assert.Equal("AppointmentBooked", (await Accepted(system.PostAsync("diagnosis", $"/patients/{P}/appointments", new { kind = "ct", scheduledOn = Day(14), location = "CT 2" })))["type"]!.GetValue<string>());
        Assert.Equal("AppointmentBooked", (await Accepted(system.PostAsync("diagnosis", $"/patients/{P}/appointments", new { kind = "tace", scheduledOn = Day(30) })))["type"]!.GetValue<string>());
        Assert.Equal("SurveillanceItemDeferred", (await Accepted(system.PostAsync("diagnosis", $"/patients/{P}/deferrals", new { kind = "clinic-visit", until = Day(21), reason = "patient abroad" })))["type"]!.GetValue<string>());
        Assert.Equal("OutsideResultRecorded", (await Accepted(system.PostAsync("diagnosis", $"/patients/{P}/outside-results", new { kind = "ct", performedOn = "2016-03-01", facility = "Regional Hospital", summary = "stable" })))["type"]!.GetValue<string>());
        Assert.Equal("SurveillancePlanEnded", (await Accepted(system.PostAsync("diagnosis", $"/patients/{P}/surveillance-plans/end", new { endedOn = "2017-01-24", reason = "completed" })))["type"]!.GetValue<string>());
        Assert.Equal("PatientDied", (await Accepted(system.PostAsync("diagnosis", $"/patients/{P}/death", new { diedOn = "2020-02-02", cause = "metastatic disease" })))["type"]!.GetValue<string>());

        var events = await system.Diagnosis.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession().Events.FetchStreamAsync(P);
        var dates = events.Select(e => (Contracts.ClinicalEvent)e.Data).GroupBy(e => e.Type).ToDictionary(g => g.Key, g => g.Last().OccurredOn, StringComparer.Ordinal);
        Assert.Equal(Today, dates["NavigatorAssigned"]);
        Assert.Equal(Today, dates["AppointmentBooked"]);
        Assert.Equal(Today, dates["SurveillanceItemDeferred"]);
        Assert.Equal(new DateOnly(2016, 3, 1), dates["OutsideResultRecorded"]);
        Assert.Equal(new DateOnly(2017, 1, 24), dates["SurveillancePlanEnded"]);
        Assert.Equal(new DateOnly(2020, 2, 2), dates["PatientDied"]);
    }

    [Fact]
    public async Task Bad_input_on_each_route_is_400_naming_the_field_and_records_nothing()
    {
        const string P = "NAV-2";
        await OnSurveillanceAsync(P);
        var before = await system.DepartmentEventCountsAsync();

        (string Path, object Body, string Field)[] cases =
        [
            ("appointments", new { scheduledOn = Day(14) }, "kind"),
            ("appointments", new { kind = "mri", scheduledOn = Day(14) }, "kind"),
            ("appointments", new { kind = "ct" }, "scheduledOn"),
            ("appointments", new { kind = "ct", scheduledOn = Day(5000) }, "scheduledOn"),
            ("deferrals", new { kind = "ct", until = Day(0), reason = "holiday" }, "until"),
            ("deferrals", new { kind = "ct", until = Day(-3), reason = "holiday" }, "until"),
            ("deferrals", new { kind = "ct", until = Day(30) }, "reason"),
            ("outside-results", new { kind = "ct", performedOn = Day(1), facility = "Regional" }, "performedOn"),
            ("outside-results", new { kind = "ct", performedOn = "1960-01-01", facility = "Regional" }, "performedOn"), // before the birth date
            ("outside-results", new { kind = "ct", performedOn = "2016-03-01" }, "facility"),
            ("surveillance-plans/end", new { reason = "completed" }, "endedOn"),
            ("surveillance-plans/end", new { endedOn = "2017-01-24", reason = "bored" }, "reason"),
            ("surveillance-plans/end", new { endedOn = Day(1), reason = "completed" }, "endedOn"),
            ("death", new { cause = "unknown" }, "diedOn"),
            ("death", new { diedOn = Day(1) }, "diedOn"),
            ("death", new { diedOn = "1963-05-19" }, "diedOn"), // before the birth date
            ("navigator", new { navigator = "" }, "navigator"),
            ("navigator", new { navigator = new string('n', 300) }, "navigator"),
        ];
        foreach (var (path, body, field) in cases)
            await Refused(system.PostAsync("diagnosis", $"/patients/{P}/{path}", body), HttpStatusCode.BadRequest, field);

        Assert.Equal(before, await system.DepartmentEventCountsAsync());
    }

    [Fact]
    public async Task Booking_or_deferring_a_kind_without_an_open_item_ending_no_active_plan_and_a_second_death_are_409_and_record_nothing()
    {
        const string P = "NAV-3";
        await Accepted(system.PostAsync("diagnosis", "/patients", new { patientId = P, sex = "male", birthDate = "1970-01-01" }));
        var before = await system.DepartmentEventCountsAsync();
        // Registered, no plan: nothing is open and nothing can end.
        await Refused(system.PostAsync("diagnosis", $"/patients/{P}/appointments", new { kind = "ct", scheduledOn = Day(14) }), HttpStatusCode.Conflict, "kind");
        await Refused(system.PostAsync("diagnosis", $"/patients/{P}/deferrals", new { kind = "ct", until = Day(14), reason = "holiday" }), HttpStatusCode.Conflict, "kind");
        await Refused(system.PostAsync("diagnosis", $"/patients/{P}/surveillance-plans/end", new { endedOn = "2020-01-01", reason = "declined" }), HttpStatusCode.Conflict, "endedOn");
        Assert.Equal(before, await system.DepartmentEventCountsAsync());

        await Accepted(system.PostAsync("diagnosis", $"/patients/{P}/surveillance-plans", new { startsOn = "2020-01-01", protocol = "ct-q3m-visits-q1m" }));
        before = await system.DepartmentEventCountsAsync();
        await Refused(system.PostAsync("diagnosis", $"/patients/{P}/appointments", new { kind = "pet-ct", scheduledOn = Day(14) }), HttpStatusCode.Conflict, "kind"); // the plan schedules none
        await Refused(system.PostAsync("diagnosis", $"/patients/{P}/surveillance-plans/end", new { endedOn = "2019-12-31", reason = "declined" }), HttpStatusCode.Conflict, "endedOn"); // before its start
        Assert.Equal(before, await system.DepartmentEventCountsAsync());

        await Accepted(system.PostAsync("diagnosis", $"/patients/{P}/surveillance-plans/end", new { endedOn = "2021-01-01", reason = "transferred" }));
        before = await system.DepartmentEventCountsAsync();
        await Refused(system.PostAsync("diagnosis", $"/patients/{P}/surveillance-plans/end", new { endedOn = "2021-02-01", reason = "transferred" }), HttpStatusCode.Conflict, "endedOn");
        await Refused(system.PostAsync("diagnosis", $"/patients/{P}/appointments", new { kind = "ct", scheduledOn = Day(14) }), HttpStatusCode.Conflict, "kind");
        Assert.Equal(before, await system.DepartmentEventCountsAsync());

        await Accepted(system.PostAsync("diagnosis", $"/patients/{P}/death", new { diedOn = "2022-01-01" }));
        before = await system.DepartmentEventCountsAsync();
        await Refused(system.PostAsync("diagnosis", $"/patients/{P}/death", new { diedOn = "2022-01-02" }), HttpStatusCode.Conflict, "diedOn");
        Assert.Equal(before, await system.DepartmentEventCountsAsync());
    }

    [Fact]
    public async Task A_repeated_navigation_fact_under_one_Idempotency_Key_is_recorded_once_with_the_same_eventId()
    {
        const string P = "NAV-4";
        await OnSurveillanceAsync(P);
        var before = await system.DepartmentEventCountsAsync();

        var first = await Accepted(system.PostAsync("diagnosis", $"/patients/{P}/deferrals", new { kind = "ct", until = Day(30), reason = "scanner down" }, idempotencyKey: "nav-4-deferral"));
        var again = await Accepted(system.PostAsync("diagnosis", $"/patients/{P}/deferrals", new { kind = "ct", until = Day(30), reason = "scanner down" }, idempotencyKey: "nav-4-deferral"));
        var death = await Accepted(system.PostAsync("diagnosis", $"/patients/{P}/death", new { diedOn = "2020-02-02" }, idempotencyKey: "nav-4-death"));
        // Without the key this would be a second death (409); with it, the first answer again.
        var deathAgain = await Accepted(system.PostAsync("diagnosis", $"/patients/{P}/death", new { diedOn = "2020-02-02" }, idempotencyKey: "nav-4-death"));

        Assert.Equal(first["eventId"]!.GetValue<Guid>(), again["eventId"]!.GetValue<Guid>());
        Assert.Equal(death["eventId"]!.GetValue<Guid>(), deathAgain["eventId"]!.GetValue<Guid>());
        Assert.Equal(before["diagnosis"] + 2, (await system.DepartmentEventCountsAsync())["diagnosis"]);
    }

    [Fact]
    public async Task A_navigator_records_navigation_facts_but_is_403_on_the_clinical_ones_and_a_clinician_on_both()
    {
        const string P = "NAV-5";
        await OnSurveillanceAsync(P);
        using var navigator = system.Diagnosis.CreateClient(TestTokens.For(Roles.Navigator, "nurse.navigator"));
        using var clinician = system.Diagnosis.CreateClient(TestTokens.For(Roles.Clinician));

        var booked = await Accepted(navigator.PostAsJsonAsync($"/patients/{P}/appointments", new { kind = "clinic-visit", scheduledOn = Day(7) }));
        await Accepted(navigator.PostAsJsonAsync($"/patients/{P}/navigator", new { navigator = "nurse.navigator" }));
        var recorded = await system.Diagnosis.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession().Events.LoadAsync(booked["eventId"]!.GetValue<Guid>());
        Assert.Equal("nurse.navigator", ((Contracts.ClinicalEvent)recorded!.Data).RecordedBy);

        var before = await system.DepartmentEventCountsAsync();
        foreach (var (path, body) in new (string, object)[]
                 {
                     ("/patients", new { patientId = "NAV-6", sex = "female", birthDate = "1963-05-20" }),
                     ($"/patients/{P}/visits", new { occurredOn = "2020-01-01" }),
                     ($"/patients/{P}/surveillance-plans", new { startsOn = "2020-01-01", protocol = "ct-q3m-visits-q1m" }),
                 })
        {
            using var response = await navigator.PostAsJsonAsync(path, body);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        using (var batch = await navigator.PostAsJsonAsync("/batch", new { entries = new[] { new { path = $"/patients/{P}/visits", body = new { occurredOn = "2020-01-01" } } } }))
            Assert.Equal(HttpStatusCode.Forbidden, batch.StatusCode);
        using (var byClinician = await clinician.PostAsJsonAsync($"/patients/{P}/appointments", new { kind = "ct", scheduledOn = Day(7) }))
            Assert.Equal(HttpStatusCode.Forbidden, byClinician.StatusCode);
        Assert.Equal(before, await system.DepartmentEventCountsAsync());

        using var journey = system.Journey.CreateClient(TestTokens.For(Roles.Navigator));
        using var worklist = await journey.GetAsync("/worklist");
        Assert.Equal(HttpStatusCode.OK, worklist.StatusCode);
    }
}
