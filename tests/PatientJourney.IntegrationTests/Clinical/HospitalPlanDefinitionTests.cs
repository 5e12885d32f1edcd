using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using PatientJourney.Hosting.Security;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.PlanDefinitions;

namespace PatientJourney.IntegrationTests.Clinical;

/// <summary>
/// A hospital's protocol authored once as a FHIR PlanDefinition (Surveillance:PlanDefinitions) and read at start by the
/// journey and the departments' host, as processes of their own: the diagnosis department accepts a plan on it and the
/// journey schedules from it.
/// </summary>
public class HospitalPlanDefinitionTests
{
    // Written by hand, as an author would: PET/CT every 6 months, open-ended.
    private const string PetCtEvery6Months = """
        {
          "resourceType": "PlanDefinition",
          "id": "pet-ct-q6m",
          "url": "https://patientjourney.example/fhir/PlanDefinition/pet-ct-q6m",
          "name": "PetCtQ6m",
          "title": "PET/CT every 6 months",
          "type": { "coding": [ { "system": "http://terminology.hl7.org/CodeSystem/plan-definition-type", "code": "clinical-protocol" } ] },
          "status": "active",
          "action": [ {
            "title": "PET/CT every 6 months",
            "code": [ { "coding": [ { "system": "https://patientjourney.example/fhir/CodeSystem/surveillance-item-kind", "code": "pet-ct" } ] } ],
            "timingTiming": { "repeat": { "frequency": 1, "period": 6, "periodUnit": "mo" } }
          } ]
        }
        """;

    [Fact]
    public async System.Threading.Tasks.Task A_protocol_configured_as_a_PlanDefinition_is_accepted_by_diagnosis_and_scheduled_by_the_journey()
    {
        const string P = "PLANDEF-1";
        var file = Path.Combine(Directory.CreateTempSubdirectory("pj-plandef-").FullName, "pet-ct-q6m.json");
        await File.WriteAllTextAsync(file, PetCtEvery6Months);
        await using var deployment = await ProcessDeployment.CreateAsync("pj_plandef");
        var processes = Start(deployment, file);
        try
        {
            await ProcessDeployment.StartAsync(processes);
            var departments = ProcessDeployment.DepartmentAddresses(processes);
            using var diagnosis = Client(departments["diagnosis"], deployment.DepartmentToken("plandef-test", Contracts.Departments.Diagnosis));
            using var imaging = Client(departments["imaging"], deployment.DepartmentToken("plandef-test", Contracts.Departments.Imaging));
            using var journey = Client(processes[ServiceCatalog.Journey.Name].BaseAddress, deployment.Token("plandef-test", Roles.Clinician));

            Assert.Equal(HttpStatusCode.Accepted, (await diagnosis.PostAsJsonAsync("/patients", new { patientId = P, sex = "female", birthDate = "1960-01-01", occurredOn = "2020-01-01" })).StatusCode);
            using var plan = await diagnosis.PostAsJsonAsync($"/patients/{P}/surveillance-plans", new { startsOn = "2020-01-15", protocol = "pet-ct-q6m" });
            Assert.True(plan.StatusCode == HttpStatusCode.Accepted, await plan.Content.ReadAsStringAsync());

            await Eventually.HoldsAsync(async () => Items(await Surveillance(journey, P)).Any(i => (string?)i["kind"] == "pet-ct"), "the PET/CT item in the journey");
            var first = Items(await Surveillance(journey, P)).Single(i => (string?)i["kind"] == "pet-ct");
            Assert.Equal("2020-07-15", (string?)first["dueOn"]);

            Assert.Equal(HttpStatusCode.Accepted, (await imaging.PostAsJsonAsync($"/patients/{P}/pet-ct", new { performedOn = "2020-07-10", indication = "response", lesions = Array.Empty<object>() })).StatusCode);
            await Eventually.HoldsAsync(async () => Items(await Surveillance(journey, P)).Any(i => (string?)i["completedOn"] == "2020-07-10"), "the PET/CT completing the item");
            Assert.Contains(Items(await Surveillance(journey, P)), i => (string?)i["kind"] == "pet-ct" && (string?)i["dueOn"] == "2021-01-10" && (string?)i["status"] != "done");

            // The schedule as a CarePlan instantiating the hospital's PlanDefinition, valid against R4 core.
            var carePlan = new FhirJsonDeserializer().Deserialize<CarePlan>(await journey.GetStringAsync($"/patients/{P}/surveillance/careplan?asOf=2020-08-01"));
            Assert.Equal([PlanDefinitionCodes.UrlOf("pet-ct-q6m")], carePlan.InstantiatesCanonical);
            Assert.Contains(carePlan.Activity, a => a.Detail?.Status == CarePlan.CarePlanActivityStatus.Completed && a.OutcomeReference.Count == 1);
            Assert.Empty(R4CoreValidation.Errors(carePlan));

            var bundle = new FhirJsonDeserializer().Deserialize<Bundle>(await journey.GetStringAsync("/surveillance/plan-definitions"));
            Assert.Contains(bundle.Entry, e => e.Resource is PlanDefinition { Id: "pet-ct-q6m" });
            Assert.Equal(HttpStatusCode.NotFound, (await journey.GetAsync("/surveillance/plan-definitions/no-such-protocol")).StatusCode);

            var radiotherapy = JsonNode.Parse(await journey.GetStringAsync($"/surveillance/plan-definitions/{Contracts.Diagnosis.ExposureRules.EscAnthracyclineCumulative250}"))!;
            radiotherapy["id"] = "radiotherapy-heart-field";
            radiotherapy["action"]![0]!["trigger"]![0]!["name"] = "radiotherapy-heart-field";
            using var refused = await journey.PostAsync("/surveillance/plan-definitions/$validate", new StringContent(radiotherapy.ToJsonString(), null, "application/fhir+json"));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var errors = (await refused.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
            Assert.Equal(["action[0].trigger[0].name"], errors.Select(e => e.Key));

            // The engine's reading of a new one; an id already in the catalogue, and content that is no PlanDefinition, refused.
            using var read = await journey.PostAsync("/surveillance/plan-definitions/$validate", new StringContent(PetCtEvery6Months.Replace("\"pet-ct-q6m\"", "\"pet-ct-q4m\"").Replace("\"period\": 6", "\"period\": 4"), null, "application/fhir+json"));
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal(4, (int?)(await read.Content.ReadFromJsonAsync<JsonObject>())!["protocol"]!["rules"]![0]!["intervalMonths"]);
            foreach (var (body, field) in new[] { (PetCtEvery6Months, "id"), ("{", "body"), ("\0\0", "body"), ("", "body"), ("""{"resourceType":"Patient"}""", "resourceType") })
            {
                using var bad = await journey.PostAsync("/surveillance/plan-definitions/$validate", new StringContent(body, null, "application/fhir+json"));
                Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
                Assert.Contains(field, (await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(e => e.Key));
            }
            using var huge = await journey.PostAsync("/surveillance/plan-definitions/$validate", new StringContent(new string(' ', 1 << 20), null, "application/fhir+json"));
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        }
        finally
        {
            foreach (var process in processes.Values) process.Dispose();
        }
    }

    [Fact]
    public async System.Threading.Tasks.Task A_PlanDefinition_the_engine_cannot_compute_stops_the_departments_host_at_start_naming_the_file()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("pj-plandef-").FullName, "weekly.json");
        await File.WriteAllTextAsync(file, PetCtEvery6Months.Replace("\"periodUnit\": \"mo\"", "\"periodUnit\": \"wk\""));
        await using var deployment = await ProcessDeployment.CreateAsync("pj_plandef");
        using var host = deployment.Instance(ServiceCatalog.DepartmentsHost, "departments", new Dictionary<string, string> { ["Surveillance__PlanDefinitions__0"] = file });

        host.Start();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => host.WaitReadyAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("exited with code", failure.Message);
        var log = await File.ReadAllTextAsync(Path.Combine(deployment.LogDirectory, "departments.log"));
        Assert.Contains(file, log);
        Assert.Contains("action[0].timingTiming.repeat.periodUnit", log);
    }

    private static Dictionary<string, ServiceProcess> Start(ProcessDeployment deployment, string file) =>
        ServiceCatalog.Pipeline(departmentsInOneProcess: true).ToDictionary(s => s.Name,
            s => deployment.Instance(s, s.Name, new Dictionary<string, string> { ["Surveillance__PlanDefinitions__0"] = file }));

    private static HttpClient Client(Uri address, string token) =>
        new() { BaseAddress = address, DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };

    private static async System.Threading.Tasks.Task<JsonObject> Surveillance(HttpClient journey, string patientId) =>
        (await journey.GetFromJsonAsync<JsonObject>($"/patients/{patientId}/surveillance?asOf=2020-08-01"))!;

    private static IEnumerable<JsonNode> Items(JsonObject surveillance) => surveillance["items"]!.AsArray().OfType<JsonNode>();
}
