using PatientJourney.DepartmentKit.Outbox;

namespace PatientJourney.UnitTests.DepartmentKit;

public class OutboxGapsTests
{
    [Fact]
    public void The_numbers_of_a_page_without_an_event_are_its_gaps()
    {
        Assert.Equal([13L, 14L], OutboxGaps.Missing(10, 15, [11, 12, 15])); // 13 and 14 moved past with no event
        Assert.Empty(OutboxGaps.Missing(15, 18, [16, 17, 18])); // a full page has none
        Assert.Equal([19L], OutboxGaps.Missing(18, 19, [])); // a page of one number, and no event under it
    }
}
