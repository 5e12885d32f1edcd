using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Diagnosis.Corrections;

namespace PatientJourney.UnitTests.Diagnosis;

public class DiagnosisCorrectionsTests
{
    [Fact]
    public void A_registration_is_amended_to_a_later_birth_date_only_while_no_fact_stands_before_it_and_a_merge_is_never_corrected()
    {
        var registered = new PatientRegistered { PatientId = "P", OccurredOn = new DateOnly(2011, 1, 3), Sex = Sex.Female, BirthDate = new DateOnly(1963, 5, 20) };
        var visit = new ClinicVisitRecorded { PatientId = "P", OccurredOn = new DateOnly(1970, 1, 1) };
        Assert.Null(DiagnosisCorrections.Check(registered, registered with { BirthDate = new DateOnly(1970, 1, 1) }, [visit]));
        Assert.Equal("body.birthDate", DiagnosisCorrections.Check(registered, registered with { BirthDate = new DateOnly(1970, 1, 2) }, [visit])?.Refused?.Field);
        var merged = new PatientsMerged { PatientId = "P", OccurredOn = new DateOnly(2020, 1, 1), Into = "Q", Reason = "same person" };
        Assert.NotNull(DiagnosisCorrections.Check(merged, null, [])?.Refused);
    }
}
