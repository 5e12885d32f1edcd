using PatientJourney.DepartmentKit.Outbox;

namespace PatientJourney.UnitTests.DepartmentKit;

public class OutboxGapsTests
{
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void The_numbers_of_a_page_without_an_event_are_watched_until_forwarded_or_past_the_horizon()
    {
        var clock = new Clock();
        var gaps = new OutboxGaps(clock, TimeSpan.FromMinutes(10));

        gaps.Observe(10, 15, [11, 12, 15]); // 13 and 14 moved past with no event
        gaps.Observe(15, 18, [16, 17, 18]); // a full page adds nothing
        Assert.Equal([13L, 14L], gaps.Open);

        gaps.Closed([13]); // committed late and forwarded
        Assert.Equal([14L], gaps.Open);
        clock.Now += TimeSpan.FromMinutes(9);
        Assert.Empty(gaps.Expire());
        clock.Now += TimeSpan.FromMinutes(2);
        Assert.Equal([14L], gaps.Expire()); // a rolled-back transaction's: given up
        Assert.Empty(gaps.Open);
    }
}
