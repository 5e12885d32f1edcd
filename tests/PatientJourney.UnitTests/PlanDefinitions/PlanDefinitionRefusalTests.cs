using CsCheck;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.PlanDefinitions;

namespace PatientJourney.UnitTests.PlanDefinitions;

/// <summary>What the engine cannot compute is refused, naming the PlanDefinition's field.</summary>
public class PlanDefinitionRefusalTests
{
    private static PlanDefinition PetCtEvery6Months() =>
        PlanDefinitionExport.From(new SurveillanceProtocol("pet-ct-q6m", [new ProtocolRule(SurveillanceItemKinds.PetCt, 6)]) { Title = "PET/CT every 6 months" });

    private static IReadOnlyList<string> FieldsRefused(string json)
    {
        var result = PlanDefinitionImport.Read(json);
        Assert.False(result.Succeeded);
        return result.Problems.Select(p => p.Field).ToList();
    }

    [Fact]
    public void A_new_protocol_reads_as_the_engine_computes_it()
    {
        var protocol = PlanDefinitionImport.Read(PetCtEvery6Months().ToJson()).Reading?.Protocol;

        Assert.NotNull(protocol);
        Assert.Equal(("pet-ct-q6m", "PET/CT every 6 months"), (protocol.Id, protocol.Title));
        Assert.Equal(new ProtocolRule(SurveillanceItemKinds.PetCt, 6), Assert.Single(protocol.Rules));
    }

    [Fact]
    public void A_trigger_the_journey_does_not_compute_such_as_a_radiotherapy_field_is_refused_at_the_trigger_name()
    {
        var plan = PlanDefinitionExport.ById(SurveillanceCatalogue.Published, ExposureRules.EscAnthracyclineCumulative250)!;
        plan.Action[0].Trigger[0].Name = "radiotherapy-heart-field";

        Assert.Equal(["action[0].trigger[0].name"], FieldsRefused(plan.ToJson()));
    }

    [Fact]
    public void An_item_kind_the_engine_does_not_schedule_is_refused_at_the_action_code()
    {
        var plan = PetCtEvery6Months();
        plan.Action[0].Code = [new CodeableConcept(PlanDefinitionCodes.ItemKindSystem, "mri")];

        Assert.Equal(["action[0].code"], FieldsRefused(plan.ToJson()));
    }

    [Fact]
    public void An_action_without_a_timing_is_refused_at_its_timingTiming()
    {
        var plan = PetCtEvery6Months();
        plan.Action[0].Timing = null;

        Assert.Equal(["action[0].timingTiming"], FieldsRefused(plan.ToJson()));
    }

    [Fact]
    public void A_period_in_weeks_is_refused_at_its_unit_and_one_in_years_reads_as_whole_months()
    {
        var plan = PetCtEvery6Months();
        var repeat = Assert.IsType<Timing>(plan.Action[0].Timing).Repeat!;
        repeat.PeriodUnit = Timing.UnitsOfTime.Wk;
        Assert.Equal(["action[0].timingTiming.repeat.periodUnit"], FieldsRefused(plan.ToJson()));

        repeat.PeriodUnit = Timing.UnitsOfTime.A;
        repeat.Period = 1;
        Assert.Equal(12, PlanDefinitionImport.Read(plan.ToJson()).Reading?.Protocol?.Rules.Single().IntervalMonths);
    }

    [Fact]
    public void A_plan_definition_without_an_id_is_refused_at_the_id()
    {
        var plan = PetCtEvery6Months();
        plan.Id = null;

        Assert.Equal(["id"], FieldsRefused(plan.ToJson()));
    }

    [Theory]
    [InlineData("{ \"resourceType\": \"PlanDefinition\", ", "body")]
    [InlineData("\0\0\0", "body")]
    [InlineData("", "body")]
    [InlineData("[1, 2]", "body")]
    [InlineData("{ \"resourceType\": \"Patient\", \"active\": true }", "resourceType")]
    [InlineData("{ \"resourceType\": \"PlanDefinition\", \"status\": \"active\", \"unknownElement\": 1 }", "unknownElement")]
    public void Content_that_is_not_a_PlanDefinition_is_refused_naming_what_is_wrong(string json, string field) =>
        Assert.Contains(FieldsRefused(json), f => f.Contains(field, StringComparison.Ordinal));

    /// <summary>$validate answers 400 for any content, never 5xx: whatever a document is cut or spliced into, Read does not throw.</summary>
    [Fact]
    public void Any_cut_or_splice_of_a_PlanDefinition_is_read_or_refused_without_throwing()
    {
        var json = PlanDefinitionExport.ById(SurveillanceCatalogue.Published, ExposureRules.EscAnthracyclineSurvivorHighRisk)!.ToJson();
        var splices = new[] { "", "\0", "\u0000", "\"", "{", "}", "[", "]", ",", ":", "null", "-1", "1e400", "\"mo\"", "\"wk\"", "{\"extension\":[]}" };
        Gen.Select(Gen.Int[0, json.Length], Gen.Int[0, 40], Gen.Int[0, splices.Length - 1]).Sample((at, cut, splice) =>
        {
            var mutated = json[..at] + splices[splice] + json[Math.Min(json.Length, at + cut)..];
            var result = PlanDefinitionImport.Read(mutated);
            Assert.True(result.Succeeded || result.Problems.Count > 0);
        }, iter: 300);
    }

    [Fact]
    public void A_file_whose_id_is_already_published_is_refused_naming_the_file()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, PlanDefinitionExport.ById(SurveillanceCatalogue.Published, SurveillanceProtocolIds.CtEvery3MonthsVisitsMonthly)!.ToJson());

            var (catalogue, refused) = PlanDefinitionFiles.Load([file]);

            Assert.Null(catalogue);
            Assert.Equal((file, "id"), (Assert.Single(refused).File, Assert.Single(refused[0].Problems).Field));
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void A_valid_file_adds_its_protocol_to_the_published_catalogue()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, PetCtEvery6Months().ToJson());

            var (catalogue, refused) = PlanDefinitionFiles.Load([file]);

            Assert.Empty(refused);
            Assert.Equal([.. SurveillanceProtocols.Published.Keys, "pet-ct-q6m"], catalogue!.Protocols.Keys);
            Assert.Equal(ExposureRules.Published.Count, catalogue.Rules.Count);
        }
        finally { File.Delete(file); }
    }
}
