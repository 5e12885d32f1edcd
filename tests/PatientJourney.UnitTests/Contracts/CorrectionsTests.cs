using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Contracts.Imaging;

namespace PatientJourney.UnitTests.Contracts;

public class CorrectionsTests
{
    private const string P = "CORR-1";

    private static ClinicVisitRecorded Visit(string on, int ecog = 1, Guid? amends = null) => new()
    {
        EventId = Guid.NewGuid(), PatientId = P, OccurredOn = DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture), Ecog = ecog,
        Amends = amends, AmendmentReason = amends is null ? null : "corrected",
    };

    private static DiagnosisFactRetracted Retraction(ClinicalEvent fact) =>
        new() { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = fact.OccurredOn, RetractedEventId = fact.EventId, Reason = "wrong patient" };

    [Fact]
    public void What_stands_leaves_out_retractions_and_what_they_retract_and_puts_the_latest_version_in_the_originals_place()
    {
        var first = Visit("2020-01-01");
        var second = Visit("2020-02-01");
        var third = Visit("2020-03-01");
        var amended = Visit("2020-01-05", 2, first.EventId);
        var amendedAgain = Visit("2020-01-06", 3, amended.EventId);
        ClinicalEvent[] record = [first, second, third, amended, Retraction(second), amendedAgain];

        Assert.Equal([amendedAgain, third], Corrections.Standing(record));
        Assert.Equal([amendedAgain], Corrections.Standing(record, before: second.EventId));
    }

    [Fact]
    public void A_fact_retracted_in_any_of_its_versions_is_withdrawn_whole()
    {
        var first = Visit("2020-01-01");
        var amended = Visit("2020-01-05", 2, first.EventId);
        Assert.Empty(Corrections.Standing([first, amended, Retraction(amended)]));
    }

    [Fact]
    public void Every_arrival_order_gives_the_same_facts_and_what_stands_read_again_stands()
    {
        var first = Visit("2020-01-01");
        var second = Visit("2020-02-01");
        var amended = Visit("2020-01-05", 2, first.EventId);
        ClinicalEvent[] record = [first, second, amended, Retraction(second)];
        var expected = Corrections.Standing(record).Select(e => e.EventId).Order().ToList();

        foreach (var order in Permutations(record))
        {
            var standing = Corrections.Standing(order);
            Assert.Equal(expected, standing.Select(e => e.EventId).Order());
            Assert.Equal(standing, Corrections.Standing(standing));
        }
    }

    [Fact]
    public void A_correction_counts_only_for_a_fact_of_its_own_department_or_type()
    {
        var ct = new CtResulted { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = new DateOnly(2020, 1, 1), Region = "chest", TargetLesions = [] };
        var visit = Visit("2020-01-01");
        var notAVisit = new PerformanceStatusRecorded { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = visit.OccurredOn, Ecog = 2, Amends = visit.EventId, AmendmentReason = "x" };
        var chemotherapyRetractingACt = new ChemotherapyFactRetracted { EventId = Guid.NewGuid(), PatientId = P, OccurredOn = ct.OccurredOn, RetractedEventId = ct.EventId, Reason = "x" };

        Assert.Equal([ct, visit, notAVisit], Corrections.Standing([ct, visit, notAVisit, chemotherapyRetractingACt]));
    }

    [Fact]
    public void An_amendment_names_its_reason_and_only_an_amendment_has_one()
    {
        var amendment = Visit("2020-01-01") with { Amends = Guid.NewGuid(), AmendmentReason = null };
        Assert.Contains("amendmentReason", amendment.Validate(new DateOnly(2026, 12, 6)).Errors.Keys);
        var reasonAlone = Visit("2020-01-01") with { AmendmentReason = "why" };
        Assert.Contains("amendmentReason", reasonAlone.Validate(new DateOnly(2026, 12, 6)).Errors.Keys);
    }

    private static IEnumerable<ClinicalEvent[]> Permutations(ClinicalEvent[] items) =>
        items.Length <= 1 ? [items] : items.SelectMany((item, i) => Permutations([.. items[..i], .. items[(i + 1)..]]).Select(rest => (ClinicalEvent[])[item, .. rest]));
}
