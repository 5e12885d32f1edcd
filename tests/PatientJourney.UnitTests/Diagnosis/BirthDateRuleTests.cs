using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.DepartmentKit;
using PatientJourney.Diagnosis.Registration;

namespace PatientJourney.UnitTests.Diagnosis;

public class BirthDateRuleTests
{
    private static readonly PatientRegistered Registered = new()
    {
        PatientId = "LMS-0001", OccurredOn = new DateOnly(2011, 1, 3), Sex = Sex.Female, BirthDate = new DateOnly(1963, 5, 20),
    };

    private static CommandContext Context(params ClinicalEvent[] history) => new("LMS-0001", history, new DateOnly(2026, 12, 6), new Dictionary<string, string>());

    private static SurveillancePlanStarted Plan(DateOnly startsOn) => new() { PatientId = "LMS-0001", OccurredOn = startsOn, Protocol = "ct-q3m-visits-q1m" };

    [Fact]
    public void A_fact_dated_before_the_registered_birth_is_refused_naming_the_commands_date_field()
    {
        var refusal = BirthDateRule.Check(Context(Registered), Plan(new DateOnly(1963, 5, 19)), "startsOn").Refused!;
        Assert.Equal((400, "startsOn"), (refusal.Status, refusal.Field));
        Assert.Contains("1963-05-20", refusal.Detail);
    }

    [Fact]
    public void A_fact_on_the_birth_date_or_later_stands()
    {
        Decision decision = Plan(new DateOnly(1963, 5, 20));
        Assert.Same(decision, BirthDateRule.Check(Context(Registered), decision, "startsOn"));
    }

    [Fact]
    public void Before_the_registration_any_date_stands()
    {
        Decision decision = Plan(new DateOnly(1900, 1, 1));
        Assert.Same(decision, BirthDateRule.Check(Context(), decision, "startsOn"));
    }
}
