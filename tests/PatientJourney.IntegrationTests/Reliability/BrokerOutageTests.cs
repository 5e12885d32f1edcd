using System.Diagnostics;
using System.Net;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Reliability;

/// <summary>Stops the real RabbitMQ, so it runs alone, after the tests that run in parallel.</summary>
[Collection(ExclusiveBroker.Name)] // stops RabbitMQ (rabbitmqctl stop_app)
public class BrokerOutageTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    [Fact]
    public async Task Events_accepted_while_RabbitMQ_is_stopped_reach_the_journey_once_it_is_back()
    {
        const string patientId = "OUTAGE-1";
        const int visits = 40;
        await Rabbitmqctl("stop_app");
        try
        {
            using var registered = await system.PostAsync("diagnosis", "/patients", new { patientId, sex = "male", birthDate = "1970-01-01" });
            Assert.Equal(HttpStatusCode.Accepted, registered.StatusCode);
            for (var i = 0; i < visits; i++)
            {
                using var visit = await system.PostAsync("diagnosis", $"/patients/{patientId}/visits", new { occurredOn = new DateOnly(2020, 1, 1).AddDays(i), ecog = 0 });
                Assert.Equal(HttpStatusCode.Accepted, visit.StatusCode);
            }
            using var ct = await system.PostAsync("imaging", $"/patients/{patientId}/ct",
                new { performedOn = "2020-03-01", region = "chest", targetLesions = Array.Empty<object>() });
            Assert.Equal(HttpStatusCode.Accepted, ct.StatusCode);
            Assert.Equal(0, await system.JourneyEntryCountAsync(patientId));
        }
        finally
        {
            await Rabbitmqctl("start_app");
            await Rabbitmqctl("await_startup");
        }

        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync(patientId) == visits + 2,
            "every event accepted during the outage in the journey", TimeSpan.FromSeconds(120));
    }

    private static async Task Rabbitmqctl(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("rabbitmqctl", ["-q", command]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"rabbitmqctl {command}: {await process.StandardError.ReadToEndAsync()}");
    }
}
