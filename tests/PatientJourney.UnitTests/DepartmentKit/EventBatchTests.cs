using System.Text.Json;
using Microsoft.Extensions.Configuration;
using PatientJourney.Hosting;
using PatientJourney.StoreAndBus.Messaging;
using PatientJourney.DepartmentKit.Outbox;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Contracts.Imaging;

namespace PatientJourney.UnitTests.DepartmentKit;

public class EventBatchTests
{
    private static ClinicVisitRecorded Visit(int day) =>
        new() { EventId = Guid.NewGuid(), PatientId = "LMS-0001", OccurredOn = new DateOnly(2012, 1, day), Ecog = 1 };

    private static CtResulted Ct(int day) =>
        new() { EventId = Guid.NewGuid(), PatientId = "LMS-0001", OccurredOn = new DateOnly(2012, 1, day), Region = "chest", TargetLesions = [], Impression = "stable" };

    [Fact]
    public void A_batch_reads_back_as_the_same_events_each_carrying_its_type_as_in_its_own_message()
    {
        var batch = new DiagnosisEventBatch { Events = [Visit(1), new PatientRegistered { EventId = Guid.NewGuid(), PatientId = "LMS-0001", OccurredOn = new DateOnly(2011, 6, 1), Sex = Sex.Female, BirthDate = new DateOnly(1970, 1, 1) }] };

        var json = JsonSerializer.SerializeToNode(batch, JsonDefaults.Options)!;
        Assert.Equal(["ClinicVisitRecorded", "PatientRegistered"], json["events"]!.AsArray().Select(e => (string)e!["type"]!));
        Assert.Equal(JsonSerializer.SerializeToNode(batch.Events[0], batch.Events[0].GetType(), JsonDefaults.Options)!.ToJsonString(), json["events"]![0]!.ToJsonString());

        var read = json.Deserialize<DiagnosisEventBatch>(JsonDefaults.Options)!;
        Assert.Equal(batch.Events, read.Events);
    }

    [Theory]
    [InlineData("CtResulted", "'CtResulted' is no DiagnosisEvent")]
    [InlineData(null, "events[1].type is missing")]
    [InlineData(42, "events[1].type is missing")]
    [InlineData("Jane Doe, born 1970-01-01", "events[1].type the one given is no DiagnosisEvent")] // free text is never echoed
    public void A_batch_entry_that_is_not_one_of_its_departments_events_refuses_the_whole_message(object? type, string reason)
    {
        var json = JsonSerializer.SerializeToNode(new DiagnosisEventBatch { Events = [Visit(1), Visit(2)] }, JsonDefaults.Options)!;
        var entry = json["events"]![1]!.AsObject();
        entry.Remove("type");
        if (type is not null) entry["type"] = JsonSerializer.SerializeToNode(type);

        var refused = Assert.Throws<JsonException>(() => json.Deserialize<DiagnosisEventBatch>(JsonDefaults.Options));
        Assert.Contains(reason, refused.Message);
    }

    [Fact]
    public void A_batch_of_more_events_than_the_contract_allows_is_refused_whole()
    {
        var json = JsonSerializer.SerializeToNode(new DiagnosisEventBatch { Events = [.. Enumerable.Range(0, ContractBatches.MaxEvents + 1).Select(i => Visit(i % 28 + 1))] }, JsonDefaults.Options)!;

        Assert.Contains($"more than {ContractBatches.MaxEvents}", Assert.Throws<JsonException>(() => json.Deserialize<DiagnosisEventBatch>(JsonDefaults.Options)).Message);
        json["events"]!.AsArray().RemoveAt(0);
        Assert.Equal(ContractBatches.MaxEvents, json.Deserialize<DiagnosisEventBatch>(JsonDefaults.Options)!.Events.Count);
    }

    [Fact]
    public void A_page_becomes_one_batch_per_department_and_fifty_events_under_its_first_events_id()
    {
        var events = Enumerable.Range(1, 120).Select(i => (Guid.NewGuid(), (ClinicalEvent)(i % 4 == 0 ? Ct(i % 28 + 1) : Visit(i % 28 + 1)))).ToList();

        var messages = ClinicalEventPublisher.MessagesOf(events, BusMessages.Batches).ToList();

        var diagnosis = messages.Where(m => m.Message is DiagnosisEventBatch).ToList();
        var imaging = messages.Where(m => m.Message is ImagingEventBatch).ToList();
        Assert.Equal([50, 40], diagnosis.Select(m => ((DiagnosisEventBatch)m.Message).Events.Count));
        Assert.Equal([30], imaging.Select(m => ((ImagingEventBatch)m.Message).Events.Count));
        // In the page's order within each department, nothing lost or repeated.
        Assert.Equal(events.Where(e => e.Item2 is DiagnosisEvent).Select(e => e.Item2), diagnosis.SelectMany(m => ((DiagnosisEventBatch)m.Message).Events));
        Assert.Equal(events.First(e => e.Item2 is DiagnosisEvent).Item1, diagnosis[0].MessageId);
        // The same page again (a retry) gives the same message ids.
        Assert.Equal(messages.Select(m => m.MessageId), ClinicalEventPublisher.MessagesOf(events, BusMessages.Batches).Select(m => m.MessageId));
    }

    [Fact]
    public void Contract_v1_on_the_bus_is_one_message_per_event_under_its_id()
    {
        var events = new[] { (Guid.NewGuid(), (ClinicalEvent)Visit(1)), (Guid.NewGuid(), (ClinicalEvent)Ct(2)) };

        var messages = ClinicalEventPublisher.MessagesOf(events, BusMessages.Events).ToList();

        Assert.Equal(events.Select(e => e.Item2), messages.Select(m => m.Message));
        Assert.Equal(events.Select(e => e.Item1), messages.Select(m => m.MessageId));
    }

    [Theory]
    [InlineData(null, BusMessages.Batches)]
    [InlineData("events", BusMessages.Events)]
    [InlineData("Batches", BusMessages.Batches)]
    public void Bus_messages_default_to_batches_and_can_be_set_to_one_per_event(string? setting, BusMessages expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Bus:Messages"] = setting }).Build();
        Assert.Equal(expected, BusMessagesSetting.From(configuration));
    }

    [Theory]
    [InlineData("batch")]
    [InlineData("1")]
    public void A_bus_messages_setting_that_names_neither_stops_the_service_instead_of_guessing(string setting)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Bus:Messages"] = setting }).Build();
        Assert.Contains("Bus:Messages", Assert.Throws<InvalidOperationException>(() => BusMessagesSetting.From(configuration)).Message);
    }
}
