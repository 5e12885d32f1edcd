using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using PatientJourney.StoreAndBus.Messaging;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.JourneyAdmin;

namespace PatientJourney.IntegrationTests.Security;

/// <summary>
/// A department's broker account publishing straight to its own exchange, past its own HTTP checks: the journey checks
/// each event as the department would, and "known at" is the journey's own time, whatever the sender wrote.
/// </summary>
public class BusEventChecksTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private RabbitMqSettings Diagnosis => BrokerAccounts.ActingAs(system.Isolation.RabbitMq, Isolation.Secrets, Departments.Diagnosis);

    private async Task PublishAsDiagnosisAsync(ClinicalEvent e)
    {
        var exchange = $"PatientJourney.Contracts.Diagnosis:{e.Type}";
        await using var connection = await RawBroker.ConnectAsync(Diagnosis);
        await using var channel = await connection.CreateChannelAsync(new RabbitMQ.Client.CreateChannelOptions(true, true));
        await RawBroker.PublishAsync(channel, exchange, RawBroker.Envelope(e.EventId, exchange, e), Diagnosis.Username, e.EventId.ToString());
    }

    [Fact]
    public async Task Events_the_departments_API_would_refuse_are_dead_lettered_naming_the_field_and_never_recorded()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var forged = new (ClinicalEvent Event, string Field)[]
        {
            (new PerformanceStatusRecorded { EventId = Guid.NewGuid(), PatientId = "BUS-1", OccurredOn = new DateOnly(2012, 1, 1), Ecog = 99 }, "ecog"),
            (new ClinicVisitRecorded { EventId = Guid.NewGuid(), PatientId = "BUS-2", OccurredOn = new DateOnly(9999, 12, 31) }, "occurredOn"),
            (new ClinicVisitRecorded { EventId = Guid.NewGuid(), PatientId = "BUS-3", OccurredOn = today.AddDays(3) }, "occurredOn"),
            (new ClinicVisitRecorded { EventId = Guid.NewGuid(), PatientId = "..", OccurredOn = new DateOnly(2012, 1, 1) }, "patientId"),
            (new PatientRegistered { EventId = Guid.NewGuid(), PatientId = "BUS-4", OccurredOn = new DateOnly(2012, 1, 1), Sex = Sex.Female, BirthDate = new DateOnly(1960, 1, 1), DisplayName = "Ann\u0000e" }, "displayName"),
            (new DiagnosisConfirmed { EventId = Guid.NewGuid(), PatientId = "BUS-5", OccurredOn = new DateOnly(2012, 1, 1), Histology = "" }, "histology"),
            (new SurveillancePlanStarted { EventId = Guid.NewGuid(), PatientId = "BUS-6", OccurredOn = new DateOnly(2012, 1, 1), Protocol = "whatever-we-like" }, "protocol"),
            (new ClinicVisitRecorded { EventId = Guid.NewGuid(), PatientId = "BUS-7", OccurredOn = new DateOnly(2012, 1, 1), RecordedBy = "" }, "recordedBy"),
        };
        foreach (var (e, _) in forged) await PublishAsDiagnosisAsync(e);

        await using var deadLetters = new DeadLetters(BrokerAccounts.ActingAs(system.Isolation.RabbitMq, Isolation.Secrets, BrokerAccounts.Redrive));
        IReadOnlyList<DeadLetter> letters = [];
        await Eventually.HoldsAsync(async () =>
        {
            letters = await deadLetters.ListAsync();
            return forged.All(f => letters.Any(l => l.MessageId == f.Event.EventId.ToString()));
        }, "every forged event in the error queue");
        foreach (var (e, field) in forged)
        {
            var letter = letters.Single(l => l.MessageId == e.EventId.ToString());
            Assert.Contains(field, letter.Reason);
            Assert.DoesNotContain("Ann", letter.Reason); // the reason names fields, never their values
        }

        // A proper event sent the same way after them is recorded: the refusals were the content's doing.
        var proper = new ClinicVisitRecorded { EventId = Guid.NewGuid(), PatientId = "BUS-8", OccurredOn = new DateOnly(2012, 1, 1), Ecog = 1 };
        await PublishAsDiagnosisAsync(proper);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync("BUS-8") == 1, "the proper visit in the journey");
        foreach (var (e, _) in forged.Where(f => PatientIds.IsValid(f.Event.PatientId)))
            Assert.Equal(HttpStatusCode.NotFound, (await system.JourneyClient.GetAsync($"/patients/{e.PatientId}/journey")).StatusCode);
        Assert.DoesNotContain("\"..\"", await system.JourneyClient.GetStringAsync("/patients"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Known_at_is_when_the_journey_stored_the_event_never_the_senders_recordedAt_and_is_kept_in_the_chain()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var backdated = new ClinicVisitRecorded
        {
            EventId = Guid.NewGuid(), PatientId = "KNOWN-1", OccurredOn = new DateOnly(2004, 6, 1), Ecog = 1,
            RecordedAt = new DateTimeOffset(2004, 6, 1, 8, 0, 0, TimeSpan.Zero), RecordedBy = "clinic.desk",
        };
        await PublishAsDiagnosisAsync(backdated);
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync("KNOWN-1") == 1, "the back-dated visit in the journey");

        // Known in 2005 it was not: the journey stored it today.
        Assert.Equal(HttpStatusCode.NotFound, (await system.JourneyClient.GetAsync("/patients/KNOWN-1/journey?asKnownAt=2005-01-01T00:00:00Z")).StatusCode);
        var events = (await system.JourneyClient.GetFromJsonAsync<JsonArray>("/patients/KNOWN-1/events?asKnownAt=2005-01-01T00:00:00Z"))!;
        Assert.Empty(events);
        var stored = (await system.JourneyClient.GetFromJsonAsync<JsonArray>("/patients/KNOWN-1/events"))!.Single()!;
        Assert.True(DateTimeOffset.Parse((string)stored["storedAt"]!, System.Globalization.CultureInfo.InvariantCulture) >= before);
        Assert.Equal(backdated.RecordedAt, DateTimeOffset.Parse((string)stored["recordedAt"]!, System.Globalization.CultureInfo.InvariantCulture)); // the sender's word, kept as data
        Assert.True((bool)(await Verify("KNOWN-1"))["intact"]!);

        // Moving the stored time back (so that an auditor would see it known in 2005) breaks the chain.
        await ExecuteAsync("update journey.mt_events set timestamp = '2005-01-01T00:00:00Z' where stream_id = 'KNOWN-1'");
        var altered = await Verify("KNOWN-1");
        Assert.False((bool)altered["intact"]!);
        Assert.Contains("known-at", (string)altered["reason"]!);
        // And moving the link's time with it does not help: the time is inside the hash.
        await ExecuteAsync("update journey.event_chain set known_at = '2005-01-01T00:00:00Z' where patient_id = 'KNOWN-1'");
        Assert.False((bool)(await Verify("KNOWN-1"))["intact"]!);
    }

    private async Task<JsonObject> Verify(string patientId) =>
        (await system.JourneyClient.GetFromJsonAsync<JsonObject>($"/patients/{patientId}/verify"))!;

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(system.Isolation.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
