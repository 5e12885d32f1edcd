using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Contracts.Imaging;
using PatientJourney.Journey.Catalogue;
using PatientJourney.Journey.Measurements;

namespace PatientJourney.UnitTests.Journey.Catalogue;

public class JourneyEventsTests
{
    [Fact]
    public void Every_concrete_contract_event_type_has_a_catalogue_entry_and_nothing_else_has_one()
    {
        var contractTypes = typeof(ClinicalEvent).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && t.IsSubclassOf(typeof(ClinicalEvent)))
            .Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(contractTypes);
        Assert.Equal(contractTypes, JourneyEvents.All.Select(m => m.EventType.Name).Order(StringComparer.Ordinal).ToList());
    }

    private sealed record NotInTheCatalogue : ClinicalEvent
    {
        public override string Department => Departments.Imaging;
        protected override void ValidateFact(FieldValidation v, DateOnly latest) { }
    }

    [Fact]
    public void An_event_type_the_catalogue_does_not_know_shows_under_its_name_and_adds_nothing_else()
    {
        var e = new NotInTheCatalogue { PatientId = "P", OccurredOn = new DateOnly(2012, 1, 1) };
        var meaning = JourneyEvents.Of(e);
        Assert.Equal((nameof(NotInTheCatalogue), null, false, null), (meaning.Summarise(e), meaning.Performs, meaning.IsTreatment, meaning.BsaM2(e)));
        Assert.Empty(meaning.GradedTerms(e));
    }

    [Fact]
    public void Only_scans_echocardiograms_visits_and_procedures_perform_a_surveillance_item_and_an_outside_result_performs_its_own_kind()
    {
        var performing = JourneyEvents.All.Where(m => m.Performs is not null).Select(m => (m.EventType.Name, m.Performs)).ToHashSet();
        var outside = new OutsideResultRecorded { PatientId = "P", OccurredOn = new DateOnly(2012, 1, 1), Kind = SurveillanceItemKinds.PetCt, Facility = "Elsewhere" };
        Assert.Equal(ItemKinds.PetCt, JourneyEvents.Of(outside).KindPerformed(outside));
        Assert.Equal(new HashSet<(string, string?)>
        {
            ("CtResulted", ItemKinds.Ct), ("PetCtResulted", ItemKinds.PetCt), ("ClinicVisitRecorded", ItemKinds.ClinicVisit),
            ("TacePerformed", ItemKinds.Tace), ("RfaPerformed", ItemKinds.Rfa), ("EchocardiogramResulted", ItemKinds.Echocardiogram),
        }, performing);
    }

    [Fact]
    public void Clinical_order_is_occurred_on_then_recorded_at_then_event_id()
    {
        var day = new DateOnly(2012, 3, 1);
        var noon = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        ClinicalEvent Visit(DateOnly on, DateTimeOffset recorded, string id) =>
            new ClinicVisitRecorded { PatientId = "P", OccurredOn = on, RecordedAt = recorded, EventId = Guid.Parse(id) };
        var earlierDayRecordedLast = Visit(day.AddDays(-1), noon.AddHours(5), "00000000-0000-0000-0000-000000000009");
        var recordedFirst = Visit(day, noon.AddHours(-1), "00000000-0000-0000-0000-000000000008");
        var tieLowerId = Visit(day, noon, "00000000-0000-0000-0000-000000000001");
        var tieHigherId = Visit(day, noon, "00000000-0000-0000-0000-000000000002");

        var sorted = ClinicalOrder.Sort([tieHigherId, recordedFirst, tieLowerId, earlierDayRecordedLast]);

        Assert.Equal([earlierDayRecordedLast, recordedFirst, tieLowerId, tieHigherId], sorted);
    }

    [Fact]
    public void A_recist_assessment_is_listed_after_the_ct_it_assesses_whatever_their_ids()
    {
        var recorded = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var ct = new CtResulted { EventId = Guid.Parse("00000000-0000-0000-0000-000000000009"), PatientId = "P", OccurredOn = new DateOnly(2012, 4, 24),
            RecordedAt = recorded, Region = "chest", TargetLesions = [new TargetLesion("L1", "lung", 12)] };
        var assessed = new ResponseAssessed { EventId = Guid.Parse("00000000-0000-0000-0000-000000000001"), PatientId = "P", OccurredOn = ct.OccurredOn,
            RecordedAt = recorded, CtEventId = ct.EventId, BaselineOn = new DateOnly(2011, 8, 16), SumOfDiametersMm = 12, BaselineSumMm = 20,
            NadirSumMm = 12, ChangeFromBaselinePercent = -40, ChangeFromNadirPercent = 0, Category = RecistCategory.PartialResponse };

        Assert.Equal([ct, assessed], ClinicalOrder.Sort([assessed, ct]));
        Assert.Equal([ct, assessed], ClinicalOrder.Sort([ct, assessed]));
    }

    [Fact]
    public void A_ct_charts_one_point_with_the_category_the_journey_derives_and_a_retired_assessment_adds_nothing()
    {
        var baseline = new CtResulted { EventId = Guid.NewGuid(), PatientId = "P", OccurredOn = new DateOnly(2011, 8, 16), Region = "chest",
            TargetLesions = [new TargetLesion("L1", "lung", 20), new TargetLesion("L2", "liver", 30)] };
        var ct = new CtResulted { EventId = Guid.NewGuid(), PatientId = "P", OccurredOn = new DateOnly(2012, 4, 24), Region = "chest",
            TargetLesions = [new TargetLesion("L1", "lung", 12), new TargetLesion("L2", "liver", 20.5m)] };
        // What imaging once published says SD; the measurements make -35 %: PR.
        var retired = new ResponseAssessed { EventId = Guid.NewGuid(), PatientId = "P", OccurredOn = ct.OccurredOn, CtEventId = ct.EventId, BaselineOn = baseline.OccurredOn,
            SumOfDiametersMm = 32.5m, BaselineSumMm = 50, NadirSumMm = 32.5m, ChangeFromBaselinePercent = -35, ChangeFromNadirPercent = 0, Category = RecistCategory.StableDisease };
        var registered = new PatientRegistered { PatientId = "P", OccurredOn = ct.OccurredOn, BirthDate = new DateOnly(1960, 1, 1), Sex = Sex.Female };
        var measurements = GetMeasurements.From("P", [retired, ct, registered, baseline]);
        Assert.Equal([new TumourBurdenPoint(baseline.OccurredOn, 50m, null, baseline.EventId), new TumourBurdenPoint(ct.OccurredOn, 32.5m, "PR", ct.EventId)], measurements.TumourBurden);
        Assert.Empty(measurements.SuvMax);
    }
}
