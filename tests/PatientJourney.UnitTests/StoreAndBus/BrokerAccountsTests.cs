using PatientJourney.StoreAndBus.Messaging;

namespace PatientJourney.UnitTests.StoreAndBus;

public class BrokerAccountsTests
{
    [Theory]
    [InlineData("pj-imaging", "imaging")]
    [InlineData("pj-imaging.ris", "imaging")]
    [InlineData("pj-diagnosis.his-2", "diagnosis")]
    [InlineData("pj-imaging.", null)]
    [InlineData("pj-imaging.RIS", null)]
    [InlineData("pj-imagingx", null)]
    [InlineData("pj-imaging.ris.x", null)]
    [InlineData("pj-reader-imaging", null)]
    [InlineData("pj-journey", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void A_department_is_sent_by_its_own_user_or_one_of_its_systems_and_by_no_one_else(string? user, string? department) =>
        Assert.Equal(department, BrokerAccounts.DepartmentOfUser(user));

    [Fact]
    public void A_departments_system_has_the_departments_permissions_under_its_own_name()
    {
        var system = BrokerAccounts.DepartmentSystem("imaging", "ris");
        Assert.Equal("pj-imaging.ris", system.Username);
        Assert.Equal(BrokerAccounts.For("imaging") with { Username = "pj-imaging.ris" }, system);
        Assert.Throws<ArgumentException>(() => BrokerAccounts.DepartmentSystem("radiology", "ris"));
        Assert.Throws<ArgumentException>(() => BrokerAccounts.DepartmentSystem("imaging", "RIS.x"));
    }
}
