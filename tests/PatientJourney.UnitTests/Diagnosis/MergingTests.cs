using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.DepartmentKit;
using PatientJourney.Diagnosis.Merging;

namespace PatientJourney.UnitTests.Diagnosis;

public class MergingTests
{
    private static readonly DateOnly Today = new(2026, 12, 6);

    private static PatientRegistered Registered(string patientId) => new()
    {
        PatientId = patientId, OccurredOn = new DateOnly(2011, 1, 3), Sex = Sex.Female, BirthDate = new DateOnly(1963, 5, 20),
    };

    private static PatientsMerged Merged(string patientId, string into) => new() { PatientId = patientId, OccurredOn = Today, Into = into, Reason = "duplicate" };

    private static CommandContext Context(string patientId, IReadOnlyList<ClinicalEvent> history, params (string Id, ClinicalEvent[] History)[] others) =>
        new(patientId, history, Today, new Dictionary<string, string>())
        {
            Others = others.ToDictionary(o => o.Id, o => (IReadOnlyList<ClinicalEvent>)o.History),
        };

    private static Refusal Refused(Decision decision) => decision.Refused ?? throw new Xunit.Sdk.XunitException("expected a refusal");

    [Fact]
    public void A_record_merges_into_a_registered_survivor_dated_today_naming_it()
    {
        var decision = MergingPatients.Decide(new MergePatients("MRN-2", "same person, registered twice"), Context("MRN-1", [Registered("MRN-1")], ("MRN-2", [Registered("MRN-2")])));
        var merged = Assert.IsType<PatientsMerged>(Assert.Single(decision.Events));
        Assert.Equal(("MRN-1", "MRN-2", Today, "same person, registered twice"), (merged.PatientId, merged.Into, merged.OccurredOn, merged.Reason));
    }

    [Fact]
    public void A_record_the_department_never_registered_may_still_be_merged_away()
    {
        var decision = MergingPatients.Decide(new MergePatients("MRN-2", "imaging's own number"), Context("MRN-1", [], ("MRN-2", [Registered("MRN-2")])));
        Assert.Null(decision.Refused);
    }

    [Fact]
    public void A_merge_into_itself_is_409_naming_into()
    {
        var refusal = Refused(MergingPatients.Decide(new MergePatients("MRN-1", "x"), Context("MRN-1", [Registered("MRN-1")], ("MRN-1", [Registered("MRN-1")]))));
        Assert.Equal((409, "into"), (refusal.Status, refusal.Field));
    }

    [Fact]
    public void A_record_already_merged_away_is_409_naming_patientId()
    {
        var refusal = Refused(MergingPatients.Decide(new MergePatients("MRN-3", "x"),
            Context("MRN-1", [Registered("MRN-1"), Merged("MRN-1", "MRN-2")], ("MRN-3", [Registered("MRN-3")]))));
        Assert.Equal((409, "patientId"), (refusal.Status, refusal.Field));
        Assert.Contains("MRN-2", refusal.Detail);
    }

    [Fact]
    public void A_merge_into_a_record_already_merged_away_is_409_naming_into_and_its_survivor()
    {
        var refusal = Refused(MergingPatients.Decide(new MergePatients("MRN-2", "x"),
            Context("MRN-1", [Registered("MRN-1")], ("MRN-2", [Registered("MRN-2"), Merged("MRN-2", "MRN-3")]))));
        Assert.Equal((409, "into"), (refusal.Status, refusal.Field));
        Assert.Contains("MRN-3", refusal.Detail);
    }

    [Fact]
    public void A_merge_into_an_unregistered_record_is_404_naming_into()
    {
        var refusal = Refused(MergingPatients.Decide(new MergePatients("MRN-2", "x"), Context("MRN-1", [Registered("MRN-1")], ("MRN-2", []))));
        Assert.Equal((404, "into"), (refusal.Status, refusal.Field));
    }

    [Fact]
    public void The_request_names_the_survivor_for_the_writer_to_lock_and_checks_both_fields()
    {
        Assert.Equal(["MRN-2"], new MergePatients("MRN-2", "x").OtherPatients);
        Assert.Empty(new MergePatients(null, "x").OtherPatients);
        var v = new FieldValidation();
        new MergePatients("bad id!", null).Validate(v, Today);
        Assert.True(v.Errors.ContainsKey("into") && v.Errors.ContainsKey("reason"));
    }

    [Fact]
    public void The_event_refuses_a_merge_into_itself_as_the_journey_checks_it()
    {
        var e = Merged("MRN-1", "MRN-1") with { EventId = Guid.CreateVersion7() };
        Assert.True(e.Validate(Today).Errors.ContainsKey("into"));
        Assert.True((Merged("MRN-1", "MRN-2") with { EventId = Guid.CreateVersion7() }).Validate(Today).IsValid);
    }
}
