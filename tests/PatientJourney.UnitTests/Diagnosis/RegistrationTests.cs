using PatientJourney.DepartmentKit;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Diagnosis.Registration;

namespace PatientJourney.UnitTests.Diagnosis;

public class RegistrationTests
{
    private static readonly DateOnly Today = new(2026, 12, 6);

    private static CommandContext Context(params ClinicalEvent[] history) =>
        new("LMS-0001", history, Today, new Dictionary<string, string>());

    private static RegisterPatient Registration(DateOnly? occurredOn = null) =>
        new("LMS-0001", Sex.Female, new DateOnly(1963, 5, 20), "Case 1", occurredOn);

    [Fact]
    public void A_patient_is_registered_once_and_the_second_registration_conflicts()
    {
        var first = RegisteringPatient.Decide(Registration(), Context());
        var registered = Assert.IsType<PatientRegistered>(Assert.Single(first.Events));
        Assert.Equal(Today, registered.OccurredOn); // no occurredOn: registered today
        Assert.Equal(409, RegisteringPatient.Decide(Registration(), Context(registered)).Refused!.Status);
    }

    [Fact]
    public void A_birth_date_after_facts_already_recorded_is_refused()
    {
        var visit = new ClinicVisitRecorded { PatientId = "LMS-0001", OccurredOn = new DateOnly(1960, 1, 1) };
        var refusal = RegisteringPatient.Decide(Registration(), Context(visit)).Refused!;
        Assert.Equal((400, "birthDate"), (refusal.Status, refusal.Field));
    }

    [Fact]
    public void A_registration_dated_before_the_birth_is_refused_naming_occurredOn()
    {
        var v = new FieldValidation();
        Registration(new DateOnly(1963, 5, 19)).Validate(v, Today);
        Assert.Equal(["occurredOn"], v.Errors.Keys);
    }
}
