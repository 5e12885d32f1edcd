using PatientJourney.Contracts;
using PatientJourney.Hosting.Http;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Diagnosis.Surveillance;

namespace PatientJourney.UnitTests.Diagnosis;

public class SurveillancePlanTests
{
    private static readonly DateOnly Today = new(2026, 12, 6);

    [Theory]
    [InlineData(SurveillanceProtocolIds.CtEvery3MonthsVisitsMonthly, true)]
    [InlineData(SurveillanceProtocolIds.EsmoSoftTissueSarcomaHighGrade, true)]
    [InlineData("ct-q3m", false)]
    [InlineData("", false)]
    public void A_surveillance_plan_names_a_known_protocol(string protocol, bool valid)
    {
        var v = new FieldValidation();
        new StartSurveillancePlan(new DateOnly(2012, 1, 24), protocol).Validate(v, Today);
        Assert.Equal(valid, v.IsValid);
    }
}
