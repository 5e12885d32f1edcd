using PatientJourney.Contracts;
using PatientJourney.DepartmentKit;

namespace PatientJourney.UnitTests.DepartmentKit;

public class FieldValidationTests
{
    [Theory]
    [InlineData("LMS-0001", true)]
    [InlineData("a.b_c-9", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("ümlaut", false)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    [InlineData("...", false)]
    [InlineData(".a", true)]
    [InlineData("a..", true)]
    [InlineData("LMS-1\n", false)]
    [InlineData("LMS-1\u0000", false)]
    public void PatientId_follows_the_contract_alphabet_and_is_not_dots_only(string id, bool valid) =>
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

    [Theory]
    [InlineData("plain text", true)]
    [InlineData("tab\tline\nreturn\r", true)]
    [InlineData("a surrogate pair 😀", true)]
    [InlineData("\u0000", false)]
    [InlineData("x\u001fy", false)]
    [InlineData("\u007f", false)]
    [InlineData("\u009f", false)]
    [InlineData("\u00a0 is a no-break space", true)]
    public void Text_is_printable_at_the_edges_of_the_control_ranges(string text, bool printable) =>
        Assert.Equal(printable, FieldValidation.IsPrintable(text));

    // Not as InlineData: the test runner's serialization of theory data turns an unpaired surrogate into U+FFFD.
    [Fact]
    public void An_unpaired_surrogate_is_no_text()
    {
        Assert.False(FieldValidation.IsPrintable("\ud800"));
        Assert.False(FieldValidation.IsPrintable("x\udc00"));
        Assert.False(FieldValidation.IsPrintable("\ud800\ud800"));
        Assert.False(FieldValidation.IsPrintable("\udc00\ud800"));
        Assert.True(FieldValidation.IsPrintable("\ud83d\ude00"));
    }
}
