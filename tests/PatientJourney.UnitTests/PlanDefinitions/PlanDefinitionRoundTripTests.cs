using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.PlanDefinitions;

namespace PatientJourney.UnitTests.PlanDefinitions;

public class PlanDefinitionRoundTripTests
{
    public static TheoryData<string> PublishedIds() => [.. SurveillanceCatalogue.Published.Protocols.Keys, .. SurveillanceCatalogue.Published.Rules.Select(r => r.Id)];

    [Theory]
    [MemberData(nameof(PublishedIds))]
    public void Every_published_protocol_and_rule_exports_valid_against_R4_core_and_reads_back_identical(string id)
    {
        var plan = PlanDefinitionExport.ById(SurveillanceCatalogue.Published, id)!;

        Assert.Empty(R4CoreValidation.Errors(plan));
        var result = PlanDefinitionImport.Read(plan.ToJson());

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        // Records holding lists compare by reference: compare what they serialise to.
        object original = SurveillanceCatalogue.Published.Protocols.TryGetValue(id, out var protocol) ? protocol : SurveillanceCatalogue.Published.Rules.Single(r => r.Id == id);
        object readBack = (object?)result.Reading!.Protocol ?? result.Reading.Rule!;
        Assert.Equal(JsonSerializer.Serialize(original), JsonSerializer.Serialize(readBack));
    }

    [Fact]
    public void A_rule_exports_its_trigger_as_a_named_event_and_its_bands_as_FHIRPath_applicability_conditions()
    {
        var plan = PlanDefinitionExport.ById(SurveillanceCatalogue.Published, ExposureRules.IghgAnthracyclineSurvivorModerate)!;

        var action = Assert.Single(plan.Action);
        var trigger = Assert.Single(action.Trigger);
        Assert.Equal(TriggerDefinition.TriggerType.NamedEvent, trigger.Type);
        Assert.Equal(ExposureTriggerKinds.AnthracyclineTherapyEnded, trigger.Name);
        Assert.Equal(["%cumulativeDoxorubicinEquivalentMgPerM2 >= 100 and %cumulativeDoxorubicinEquivalentMgPerM2 < 250", "%ageAtFirstAnthracyclineYears < 18"],
            action.Condition.Select(c => c.Expression?.Expression_));
        var echo = Assert.Single(action.Action);
        Assert.Contains(echo.Code.Single().Coding, c => c.System == "http://snomed.info/sct" && c.Code == "40701008");
        var timing = Assert.IsType<Timing>(echo.Timing);
        Assert.Equal(((decimal?)60m, (Timing.UnitsOfTime?)Timing.UnitsOfTime.Mo), (timing.Repeat?.Period, timing.Repeat?.PeriodUnit));
        Assert.Equal(24m, Assert.IsType<Duration>(timing.GetExtension(PlanDefinitionCodes.FirstDue)?.Value).Value);
    }

    [Fact]
    public void A_protocol_band_after_the_first_years_carries_its_years_since_start_and_the_whole_catalogue_is_one_valid_collection()
    {
        var plan = PlanDefinitionExport.ById(SurveillanceCatalogue.Published, SurveillanceProtocolIds.EsmoSoftTissueSarcomaHighGrade)!;

        var band = Assert.IsType<Hl7.Fhir.Model.Range>(Assert.IsType<Timing>(plan.Action[1].Timing).GetExtension(PlanDefinitionCodes.YearsSinceStart)?.Value);
        Assert.Equal(((decimal?)3m, (decimal?)5m), (band.Low?.Value, band.High?.Value));
        Assert.Equal("https://patientjourney.example/fhir/PlanDefinition/esmo-sts-high-grade", plan.Url);

        var bundle = PlanDefinitionExport.Collection(SurveillanceCatalogue.Published);
        Assert.Equal(SurveillanceCatalogue.Published.Protocols.Count + SurveillanceCatalogue.Published.Rules.Count, bundle.Entry.Count);
        Assert.Empty(R4CoreValidation.Errors(bundle));
    }
}
