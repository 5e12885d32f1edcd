using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Contracts.Imaging;

namespace PatientJourney.UnitTests.Contracts;

/// <summary>
/// The rules the journey applies to every event the bus brings (the same code the departments run), at their edges.
/// </summary>
public class EventValidationTests
{
    private static readonly DateOnly Today = new(2026, 12, 6);

    private static PerformanceStatusRecorded Ecog(int ecog) =>
        new() { EventId = Guid.NewGuid(), PatientId = "LMS-0001", OccurredOn = new DateOnly(2012, 1, 1), Ecog = ecog, RecordedBy = "desk" };

    [Theory]
    [InlineData(0, true)]
    [InlineData(5, true)]
    [InlineData(-1, false)]
    [InlineData(6, false)]
    [InlineData(99, false)]
    public void ECOG_runs_from_0_to_5(int ecog, bool valid)
    {
        var v = Ecog(ecog).Validate(Today);
        Assert.Equal(valid, v.IsValid);
        if (!valid) Assert.Equal(["ecog"], v.Errors.Keys);
    }

    [Fact]
    public void A_clinical_date_may_be_the_latest_day_but_not_the_day_after_nor_before_1900()
    {
        Assert.True((Ecog(1) with { OccurredOn = Today }).Validate(Today).IsValid);
        Assert.Equal(["occurredOn"], (Ecog(1) with { OccurredOn = Today.AddDays(1) }).Validate(Today).Errors.Keys);
        Assert.Equal(["occurredOn"], (Ecog(1) with { OccurredOn = DateOnly.MaxValue }).Validate(Today).Errors.Keys);
        Assert.True((Ecog(1) with { OccurredOn = new DateOnly(1900, 1, 1) }).Validate(Today).IsValid);
        Assert.Equal(["occurredOn"], (Ecog(1) with { OccurredOn = new DateOnly(1899, 12, 31) }).Validate(Today).Errors.Keys);
    }

    [Fact]
    public void The_envelope_needs_an_event_id_a_valid_patient_a_known_schema_version_and_who_recorded_it()
    {
        var v = (Ecog(1) with { EventId = Guid.Empty, PatientId = "..", SchemaVersion = 2, RecordedBy = "" }).Validate(Today);
        Assert.Equal(["eventId", "patientId", "recordedBy", "schemaVersion"], v.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Text_with_a_NUL_or_an_unpaired_surrogate_is_refused_naming_the_field_but_not_its_value()
    {
        var registered = new PatientRegistered
        {
            EventId = Guid.NewGuid(), PatientId = "LMS-0001", OccurredOn = new DateOnly(2010, 12, 6), RecordedBy = "desk",
            Sex = Sex.Female, BirthDate = new DateOnly(1963, 5, 20), DisplayName = "Ann\u0000e",
        };
        var v = registered.Validate(Today);
        Assert.Equal(["displayName"], v.Errors.Keys);
        Assert.DoesNotContain("Ann", string.Join(" ", v.Errors["displayName"]));
        Assert.Equal(["displayName"], (registered with { DisplayName = "Ann\ud800e" }).Validate(Today).Errors.Keys);
        Assert.True((registered with { DisplayName = "Ann\te 😀" }).Validate(Today).IsValid); // tab and a surrogate pair are text
    }

    [Fact]
    public void A_code_outside_the_contract_is_refused()
    {
        var registered = new PatientRegistered
        {
            EventId = Guid.NewGuid(), PatientId = "LMS-0001", OccurredOn = new DateOnly(2010, 12, 6), RecordedBy = "desk",
            Sex = (Sex)42, BirthDate = new DateOnly(1963, 5, 20),
        };
        Assert.Equal(["sex"], registered.Validate(Today).Errors.Keys);
    }

    [Fact]
    public void A_CTCAE_grade_runs_from_1_to_5()
    {
        AdverseEventRecorded Grade(int grade) => new()
        {
            EventId = Guid.NewGuid(), PatientId = "LMS-0001", OccurredOn = new DateOnly(2011, 2, 1), RecordedBy = "desk", Term = "Neutrophil count decreased", Grade = grade,
        };
        Assert.True(Grade(1).Validate(Today).IsValid);
        Assert.True(Grade(5).Validate(Today).IsValid);
        Assert.Equal(["grade"], Grade(0).Validate(Today).Errors.Keys);
        Assert.Equal(["grade"], Grade(6).Validate(Today).Errors.Keys);
    }

    [Fact]
    public void A_CT_holds_at_most_5_target_lesions_with_distinct_ids()
    {
        CtResulted Ct(params string[] ids) => new()
        {
            EventId = Guid.NewGuid(), PatientId = "LMS-0001", OccurredOn = new DateOnly(2011, 2, 1), RecordedBy = "desk", Region = "chest",
            TargetLesions = ids.Select(id => new TargetLesion(id, "liver", 20)).ToList(),
        };
        Assert.True(Ct("a", "b", "c", "d", "e").Validate(Today).IsValid);
        Assert.Equal(["targetLesions"], Ct("a", "b", "c", "d", "e", "f").Validate(Today).Errors.Keys);
        Assert.Equal(["targetLesions"], Ct("a", "a").Validate(Today).Errors.Keys);
    }
}
