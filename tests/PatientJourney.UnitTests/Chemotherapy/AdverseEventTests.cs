using PatientJourney.Contracts;
using PatientJourney.Chemotherapy.AdverseEvents;

namespace PatientJourney.UnitTests.Chemotherapy;

public class AdverseEventTests
{
    private static readonly DateOnly Today = new(2026, 11, 28);

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(5, true)]
    [InlineData(6, false)]
    public void Ctcae_grade_runs_from_1_to_5(int grade, bool valid)
    {
        var v = new FieldValidation();
        new RecordAdverseEvent(new DateOnly(2011, 2, 1), "Neutrophil count decreased", grade, null, null).Validate(v, Today);
        Assert.Equal(valid, !v.Errors.ContainsKey("grade"));
    }
}
