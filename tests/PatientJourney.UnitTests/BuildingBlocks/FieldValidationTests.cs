using PatientJourney.Contracts;
using PatientJourney.BuildingBlocks.Http;

namespace PatientJourney.UnitTests.BuildingBlocks;

public class FieldValidationTests
{
    [Theory]
    [InlineData("LMS-0001", true)]
    [InlineData("a.b_c-9", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("ümlaut", false)]
    public void PatientId_follows_the_contract_alphabet(string id, bool valid) =>
        Assert.Equal(valid, new FieldValidation().PatientId(id));

    [Fact]
    public void PatientId_longer_than_64_is_refused() =>
        Assert.False(new FieldValidation().PatientId(new string('a', 65)));

    [Fact]
    public void Clinical_dates_in_the_future_are_refused()
    {
        var v = new FieldValidation();
        v.ClinicalDate(new DateOnly(2030, 1, 1), "occurredOn", new DateOnly(2026, 11, 28));
        Assert.Equal(["must not be in the future"], v.Errors["occurredOn"]);
    }

    [Theory]
    [InlineData("$.drugs[0].route", "drugs[0].route")]
    [InlineData("$", "body")]
    [InlineData(null, "body")]
    public void Json_paths_name_the_field(string? path, string field) => Assert.Equal(field, DepartmentCommands.FieldOf(path));
}
