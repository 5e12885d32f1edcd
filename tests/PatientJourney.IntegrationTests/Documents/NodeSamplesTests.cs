using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.StoreAndBus.Messaging;
using RabbitMQ.Client.Exceptions;

namespace PatientJourney.IntegrationTests.Documents;

/// <summary>
/// An outside department and an outside reader that do not use .NET (samples/node, amqplib), set up with
/// journey-admin broker-setup and run as docs/integration.md says, against the running system of the test's own vhost.
/// </summary>
public class NodeSamplesTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>, IAsyncLifetime
{
    // Users are global to the broker: this test's own, deleted afterwards.
    private readonly string _name = $"test-{Guid.NewGuid():N}"[..17];
    private readonly string _directory = Directory.CreateTempSubdirectory("pj-node-samples-").FullName;
    private string DepartmentUser => BrokerAccounts.DepartmentSystem("diagnosis", _name).Username;
    private string ReaderUser => BrokerAccounts.Reader(_name).Username;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        using var http = Isolation.ManagementApi();
        foreach (var user in new[] { DepartmentUser, ReaderUser }) await http.DeleteAsync($"users/{Uri.EscapeDataString(user)}");
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<string> BrokerSetupAsync(params string[] account)
    {
        var file = Path.Combine(_directory, $"{account[1]}.password");
        var setup = await OutsideProgram.JourneyAdminAsync(["broker-setup", "--vhost", system.Isolation.Name, .. account, "--password-file", file]);
        Assert.True(setup.ExitCode == 0, setup.Output + setup.Errors);
        AssertOnlyItsOwnerReads(file);
        Assert.DoesNotContain(File.ReadAllText(file).Trim(), setup.Output + setup.Errors); // given once, in the file only
        return file;
    }

    private static void AssertOnlyItsOwnerReads(string file)
    {
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    private Dictionary<string, string> Broker(string user, string passwordFile) => new()
    {
        ["PJ_AMQP_HOST"] = system.Isolation.RabbitMq.Host,
        ["PJ_AMQP_PORT"] = system.Isolation.RabbitMq.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["PJ_AMQP_VHOST"] = system.Isolation.Name,
        ["PJ_AMQP_USER"] = user,
        ["PJ_AMQP_PASSWORD_FILE"] = passwordFile,
    };

    [Fact]
    public async Task An_outside_system_with_a_department_account_publishes_a_visit_with_the_node_sample_and_the_journey_shows_it()
    {
        var password = await BrokerSetupAsync("--department", "diagnosis", "--system", _name);

        var publish = await OutsideProgram.NodeAsync("publish-department.mjs", Broker(DepartmentUser, password),
            "--patient", "NODE-1", "--occurred-on", "2012-07-24", "--ecog", "1", "--recorded-by", "ris-interface");
        Assert.True(publish.ExitCode == 0, publish.Output + publish.Errors);
        var eventId = Regex.Match(publish.Output, "ClinicVisitRecorded ([0-9a-f-]{36})").Groups[1].Value;
        Assert.NotEmpty(eventId);

        await Eventually.HoldsAsync(async () =>
        {
            var response = await system.JourneyClient.GetAsync("/patients/NODE-1/journey");
            if (response.StatusCode != HttpStatusCode.OK) return false;
            var entries = (await response.Content.ReadFromJsonAsync<JsonObject>())!["entries"]!.AsArray();
            return entries.Any(e => (string?)e!["eventId"] == eventId && (string?)e["type"] == "ClinicVisitRecorded" && (string?)e["department"] == "diagnosis");
        }, "the node sample's visit in the journey");
    }

    [Fact]
    public async Task An_outside_system_with_a_department_account_cannot_publish_another_departments_events()
    {
        var password = File.ReadAllText(await BrokerSetupAsync("--department", "diagnosis", "--system", _name)).Trim();
        var account = system.Isolation.RabbitMq with { Username = DepartmentUser, Password = password };
        Assert.Contains("ACCESS_REFUSED", await RawBroker.PublishFailureAsync(account, "PatientJourney.Contracts.Imaging:CtResulted", DepartmentUser));
    }

    [Fact]
    public async Task Rotate_writes_a_new_password_over_the_file_the_old_one_no_longer_connects_and_open_connections_are_closed()
    {
        var file = await BrokerSetupAsync("--department", "diagnosis", "--system", _name);
        var old = File.ReadAllText(file).Trim();
        var before = system.Isolation.RabbitMq with { Username = DepartmentUser, Password = old };
        await using var open = await RawBroker.ConnectAsync(before);
        using (var http = Isolation.ManagementApi())
            await Eventually.HoldsAsync(async () => (await http.GetFromJsonAsync<JsonArray>("connections?columns=user"))!.Any(c => (string?)c!["user"] == DepartmentUser),
                "the open connection in the management API");

        var rotation = await OutsideProgram.JourneyAdminAsync("broker-setup", "--vhost", system.Isolation.Name,
            "--department", "diagnosis", "--system", _name, "--password-file", file, "--rotate");
        Assert.True(rotation.ExitCode == 0, rotation.Output + rotation.Errors);

        var replaced = File.ReadAllText(file).Trim();
        Assert.NotEqual(old, replaced);
        AssertOnlyItsOwnerReads(file);
        Assert.DoesNotContain(replaced, rotation.Output + rotation.Errors);
        Assert.False(File.Exists(file + ".new"));
        await Eventually.HoldsAsync(() => Task.FromResult(!open.IsOpen), "the connection opened with the old password closed");
        await Assert.ThrowsAnyAsync<BrokerUnreachableException>(() => RawBroker.ConnectAsync(before));
        await using var after = await RawBroker.ConnectAsync(before with { Password = replaced });
        Assert.True(after.IsOpen);
    }

    [Fact]
    public async Task The_reader_sample_receives_every_event_the_departments_publish_by_type_and_id_without_patient_data()
    {
        var password = await BrokerSetupAsync("--reader", _name);
        var listening = new TaskCompletionSource();
        var reading = OutsideProgram.RunAsync("node", [Path.Combine("samples", "node", "read-events.mjs"), "--count", "2", "--timeout-seconds", "90"],
            Broker(ReaderUser, password), line => { if (line.StartsWith("listening on reader-", StringComparison.Ordinal)) listening.TrySetResult(); });
        if (await Task.WhenAny(listening.Task, reading) == reading)
        {
            var ended = await reading;
            Assert.Fail("the reader ended before it bound its queue: " + ended.Output + ended.Errors);
        }

        var sent = new List<string>();
        foreach (var patient in new[] { "NODE-READ-1", "NODE-READ-2" })
        {
            var answer = await system.PostAsync("diagnosis", $"/patients/{patient}/visits", new { occurredOn = "2012-07-24" });
            Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
            sent.Add((string)(await answer.Content.ReadFromJsonAsync<JsonObject>())!["eventId"]!);
        }

        var read = await reading;
        Assert.True(read.ExitCode == 0, read.Output + read.Errors);
        foreach (var eventId in sent) Assert.Contains($"ClinicVisitRecorded {eventId}", read.Output);
        Assert.DoesNotContain("NODE-READ", read.Output);
    }
}
