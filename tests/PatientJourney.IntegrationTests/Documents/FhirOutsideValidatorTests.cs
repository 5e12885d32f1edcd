using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Journey.Fhir;
using PatientJourney.Journey.Surveillance;
using PatientJourney.PlanDefinitions;
using Schedule = PatientJourney.Journey.Surveillance.Schedule;

namespace PatientJourney.IntegrationTests.Documents;

/// <summary>What the journey publishes as FHIR, read by FHIR.js (npm `fhir`, R4), a validator we did not write.</summary>
public class FhirOutsideValidatorTests
{
    [Fact]
    public async System.Threading.Tasks.Task The_catalogues_PlanDefinitions_and_a_schedules_CarePlan_validate_with_FHIR_js_and_a_broken_one_does_not()
    {
        var folder = Directory.CreateTempSubdirectory("pj-fhir-js-").FullName;
        var schedule = new Schedule(SurveillanceProtocolIds.EsmoSoftTissueSarcomaHighGrade, new DateOnly(2020, 1, 15),
        [
            new ScheduledItem(SurveillanceItemKinds.Ct, new DateOnly(2020, 4, 15), new DateOnly(2020, 4, 10), Guid.NewGuid(), false),
            new ScheduledItem(SurveillanceItemKinds.Ct, new DateOnly(2020, 7, 10), null, null, false) { ScheduledOn = new DateOnly(2020, 7, 12) },
            new ScheduledItem(SurveillanceItemKinds.Echocardiogram, new DateOnly(2021, 3, 1), null, null, false) { Rule = ExposureRules.EscAnthracyclineSurvivorHighRisk },
        ]) { Rules = [new TriggeredRule(ExposureRules.EscAnthracyclineSurvivorHighRisk, new DateOnly(2020, 3, 1), 300m)] };
        var subject = new ResourceReference { Type = "Patient", Identifier = new Identifier(FhirExport.MrnSystem, "P-1") };
        var files = new Dictionary<string, Resource>
        {
            ["plan-definitions.json"] = PlanDefinitionExport.Collection(SurveillanceCatalogue.Published),
            ["careplan.json"] = SurveillanceCarePlan.From(schedule, new DateOnly(2020, 6, 1), subject),
        };
        foreach (var (name, resource) in files) await File.WriteAllTextAsync(Path.Combine(folder, name), resource.ToJson());

        var (exitCode, output) = await BusMessageTests.RunOutsideToolAsync("check-fhir.mjs", [.. files.Keys.Select(f => Path.Combine(folder, f))]);
        Assert.True(exitCode == 0, output);
        Assert.Contains("plan-definitions.json: Bundle 0 errors", output);
        Assert.Contains("careplan.json: CarePlan 0 errors", output);

        // The tool is not lenient: a PlanDefinition without its required status, with an element R4 does not have.
        var broken = Path.Combine(folder, "broken.json");
        await File.WriteAllTextAsync(broken, """{ "resourceType": "PlanDefinition", "action": [ { "timingEvery": "6 months" } ] }""");
        (exitCode, output) = await BusMessageTests.RunOutsideToolAsync("check-fhir.mjs", broken);
        Assert.Equal(1, exitCode);
        Assert.Contains("PlanDefinition.status", output);
    }
}
