using PatientJourney.Contracts;
using PatientJourney.Hosting.Http;
using PatientJourney.Chemotherapy.Regimens;

namespace PatientJourney.UnitTests.Chemotherapy;

public class RegimenTests
{
    private static readonly DateOnly Today = new(2026, 11, 28);

    [Theory]
    [InlineData(29.9, 65, "heightCm")]
    [InlineData(250.1, 65, "heightCm")]
    [InlineData(165, 0.9, "weightKg")]
    [InlineData(165, 400.1, "weightKg")]
    public void Absurd_body_measures_are_refused(decimal heightCm, decimal weightKg, string field)
    {
        var v = new FieldValidation();
        new StartRegimen("R-1", "x", new DateOnly(2011, 1, 10), 21, heightCm, weightKg, []).Validate(v, Today);
        Assert.Contains(field, v.Errors.Keys);
    }
}
