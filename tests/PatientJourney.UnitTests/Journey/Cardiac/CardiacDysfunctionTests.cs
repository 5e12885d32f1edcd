using PatientJourney.Contracts;
using PatientJourney.Contracts.Imaging;
using PatientJourney.Journey.Cardiac;
using PatientJourney.Journey.Catalogue;
using PatientJourney.Journey.PatientJourneys;

namespace PatientJourney.UnitTests.Journey.Cardiac;

/// <summary>Asymptomatic CTRCD (2022 ESC cardio-oncology guideline, table 3) at the edges of each definition.</summary>
public class CardiacDysfunctionTests
{
    private static EchocardiogramResulted Echo(string on, decimal lvef, decimal? gls = null) =>
        new() { EventId = Guid.NewGuid(), PatientId = "P", OccurredOn = DateOnly.Parse(on), LvefPercent = lvef, GlobalLongitudinalStrainPercent = gls };

    private static CtrcdSeverity? Grade(decimal referenceLvef, decimal? referenceGls, decimal lvef, decimal? gls = null) =>
        CardiacDysfunction.Grade(Echo("2011-01-01", referenceLvef, referenceGls), Echo("2011-06-01", lvef, gls));

    [Theory]
    // Severe: a new LVEF under 40 %; 40 itself is in the moderate band.
    [InlineData(60, 39.9, CtrcdSeverity.Severe)]
    [InlineData(60, 40.0, CtrcdSeverity.Moderate)]
    // Moderate: 40-49 % with a fall of 10 points or more (exactly 10 counts).
    [InlineData(59, 49.0, CtrcdSeverity.Moderate)]
    [InlineData(58.9, 49.0, null)]
    // 50 % is normal: no LVEF grade, whatever the fall.
    [InlineData(65, 50.0, null)]
    [InlineData(65, 49.9, CtrcdSeverity.Moderate)]
    public void Lvef_alone_grades_at_40_and_50_percent_and_a_ten_point_fall(decimal reference, decimal lvef, CtrcdSeverity? expected) =>
        Assert.Equal(expected, Grade(reference, null, lvef));

    [Theory]
    // A relative GLS fall over 15 %: -20 -> -17 is exactly 15 % (no), -16.9 is 15.5 % (yes).
    [InlineData(60, 55, -17.0, null)]
    [InlineData(60, 55, -16.9, CtrcdSeverity.Mild)]
    // 40-49 % with a fall under 10 points: moderate only with the GLS fall.
    [InlineData(52, 45, -17.0, null)]
    [InlineData(52, 45, -16.9, CtrcdSeverity.Moderate)]
    public void A_relative_gls_fall_over_15_percent_grades_mild_at_normal_lvef_and_moderate_below(decimal reference, decimal lvef, decimal gls, CtrcdSeverity? expected) =>
        Assert.Equal(expected, Grade(reference, -20m, lvef, gls));

    [Fact]
    public void An_lvef_under_40_percent_already_at_the_reference_is_not_new()
    {
        Assert.Null(Grade(38, null, 35));
        Assert.Equal(CtrcdSeverity.Severe, Grade(40, null, 39.9m));
    }

    [Fact]
    public void The_first_echocardiogram_is_the_reference_and_later_ones_are_graded_against_it_with_a_flag()
    {
        List<ClinicalEvent> events = [Echo("2013-05-20", 45), Echo("2010-12-01", 60, -20), Echo("2014-05-20", 58, -16)];
        var assessed = CardiacDysfunction.Assess(ClinicalOrder.Sort(events));
        Assert.Equal([(DateOnly.Parse("2010-12-01"), (CtrcdSeverity?)null), (DateOnly.Parse("2013-05-20"), CtrcdSeverity.Moderate), (DateOnly.Parse("2014-05-20"), CtrcdSeverity.Mild)],
            assessed.Select(a => (a.PerformedOn, a.Ctrcd)));
        Assert.Equal((15m, 20.0m), (assessed[1].LvefFallPoints!.Value, assessed[2].GlsRelativeFallPercent!.Value));
        var flags = JourneyProjection.Project("P", events, 3).Flags.Where(f => f.Code.StartsWith("ctrcd-")).Select(f => (f.Code, f.Severity)).ToList();
        Assert.Equal([("ctrcd-moderate", "alert"), ("ctrcd-mild", "warning")], flags);
    }
}
