using System.Text.Json;
using CsCheck;
using PatientJourney.Hosting;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Contracts.Imaging;
using PatientJourney.Contracts.Interventional;
using PatientJourney.Journey.Catalogue;
using PatientJourney.Journey.PatientJourneys;
using PatientJourney.Journey.Surveillance;

namespace PatientJourney.UnitTests.Journey.Surveillance;

/// <summary>Properties of the schedule over random valid journeys (CsCheck shrinks any counterexample).</summary>
public class SurveillancePropertyTests
{
    private const string P = "PROP-1";
    private static readonly DateOnly Epoch = new(2015, 1, 1);

    private static ClinicalEvent Stamp(ClinicalEvent e, int recordedMinute) =>
        e with { EventId = Guid.NewGuid(), RecordedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(recordedMinute) };

    private static readonly Gen<string> Protocol = Gen.Int[0, SurveillanceProtocolIds.All.Count - 1].Select(i => SurveillanceProtocolIds.All.Order().ElementAt(i));

    private static readonly Gen<string> Kind = Gen.Int[0, SurveillanceItemKinds.All.Count - 1].Select(i => SurveillanceItemKinds.All[i]);

    /// <summary>The navigator's facts (issue 30): bookings, deferrals, outside results, ends, a death, a grade 5 event, assignments.</summary>
    private static readonly Gen<List<ClinicalEvent>> Navigation =
        from bookings in Gen.Select(Kind, Gen.Int[0, 2000], Gen.Int[0, 120]).Array[0, 4]
        from deferrals in Gen.Select(Kind, Gen.Int[0, 2000], Gen.Int[1, 120]).Array[0, 3]
        from outside in Gen.Select(Kind, Gen.Int[0, 2000]).Array[0, 4]
        from ends in Gen.Int[0, 2000].Array[0, 2]
        from died in Gen.Int[0, 2500].Array[0, 1]
        from fatal in Gen.Int[0, 2500].Array[0, 1]
        from navigators in Gen.Select(Gen.Int[0, 2000], Gen.Int[0, 2]).Array[0, 3]
        select new List<ClinicalEvent>()
            .Concat(bookings.Select(b => new AppointmentBooked { PatientId = P, OccurredOn = Epoch.AddDays(b.Item2), Kind = b.Item1, ScheduledOn = Epoch.AddDays(b.Item2 + b.Item3) }))
            .Concat(deferrals.Select(d => new SurveillanceItemDeferred { PatientId = P, OccurredOn = Epoch.AddDays(d.Item2), Kind = d.Item1, Until = Epoch.AddDays(d.Item2 + d.Item3), Reason = "asked" }))
            .Concat(outside.Select(o => new OutsideResultRecorded { PatientId = P, OccurredOn = Epoch.AddDays(o.Item2), Kind = o.Item1, Facility = "elsewhere" }))
            .Concat(ends.Select(e => new SurveillancePlanEnded { PatientId = P, OccurredOn = Epoch.AddDays(e), Reason = SurveillancePlanEndReason.Declined }))
            .Concat(died.Select(d => new PatientDied { PatientId = P, OccurredOn = Epoch.AddDays(d) }))
            .Concat(fatal.Select(f => new AdverseEventRecorded { PatientId = P, OccurredOn = Epoch.AddDays(f), Term = "Sepsis", Grade = 5 }))
            .Concat(navigators.Select(n => new NavigatorAssigned { PatientId = P, OccurredOn = Epoch.AddDays(n.Item1), Navigator = $"nurse-{n.Item2}" }))
            .ToList();

    /// <summary>
    /// Anthracyclines (a regimen's cycles, maybe stopped) for a patient of any age, echocardiograms, and the navigator's
    /// interval overrides: what the exposure rules read.
    /// </summary>
    private static readonly Gen<List<ClinicalEvent>> Exposure =
        from bornDaysBefore in Gen.Int[0, 20_000]
        from perCycle in Gen.Int[20, 120].Array[0, 8]
        from firstCycleDay in Gen.Int[-300, 800]
        from stopped in Gen.Bool
        from echoes in Gen.Select(Gen.Int[-300, 3000], Gen.Int[30, 75]).Array[0, 4]
        from overrides in Gen.Select(Gen.Int[0, SurveillanceItemKinds.Repeating.Count - 1], Gen.Int[0, 2500], Gen.Int[1, 24]).Array[0, 2]
        select new List<ClinicalEvent>
            {
                new PatientRegistered { PatientId = P, OccurredOn = Epoch.AddDays(-bornDaysBefore), Sex = Sex.Female, BirthDate = Epoch.AddDays(-bornDaysBefore) },
                new ChemoRegimenStarted { PatientId = P, OccurredOn = Epoch.AddDays(firstCycleDay), RegimenId = "R", Name = "doxorubicin", CycleLengthDays = 21, HeightCm = 170, WeightKg = 70, BsaM2 = 1.82m, Drugs = [] },
            }
            .Concat(perCycle.Select((mg, i) => new ChemoCycleCompleted
            {
                PatientId = P, OccurredOn = Epoch.AddDays(firstCycleDay + 21 * i), RegimenId = "R", CycleNumber = i + 1, StartedOn = Epoch.AddDays(firstCycleDay + 21 * i),
                BsaM2 = 1.82m, Drugs = [], CumulativeDoxorubicinMgPerM2 = perCycle.Take(i + 1).Sum(), CumulativeDoxorubicinEquivalentMgPerM2 = perCycle.Take(i + 1).Sum(),
            }))
            .Concat(stopped ? [new ChemoRegimenStopped { PatientId = P, OccurredOn = Epoch.AddDays(firstCycleDay + 21 * perCycle.Length), RegimenId = "R", Reason = "done" }] : [])
            .Concat(echoes.Select(e => new EchocardiogramResulted { PatientId = P, OccurredOn = Epoch.AddDays(e.Item1), LvefPercent = e.Item2 }))
            .Concat(overrides.Select(o => new SurveillanceIntervalOverridden
                { PatientId = P, OccurredOn = Epoch.AddDays(o.Item2), Kind = SurveillanceItemKinds.Repeating[o.Item1], IntervalMonths = o.Item3, Reason = "asked" }))
            .ToList();

    /// <summary>One or two plans, CTs, PET/CTs, visits, TACEs, an MDT plan of TACE sessions, maybe progression, anthracyclines, the navigator's facts.</summary>
    private static readonly Gen<List<ClinicalEvent>> Journey =
        from firstPlanDay in Gen.Int[0, 400]
        from protocol in Protocol
        from secondPlan in Gen.Bool
        from secondPlanDay in Gen.Int[60, 900]
        from secondProtocol in Protocol
        from ctDays in Gen.Int[0, 2000].Array[0, 15]
        from visitDays in Gen.Int[0, 2000].Array[0, 25]
        from taceDays in Gen.Int[0, 1200].Array[0, 3]
        from mdt in Gen.Bool
        from mdtDay in Gen.Int[0, 600]
        from sessions in Gen.Int[1, 3]
        from interval in Gen.Int[1, 4]
        from progression in Gen.Bool
        from progressionDay in Gen.Int[0, 2000]
        from navigation in Navigation
        from exposure in Exposure
        from recorded in Gen.Int[0, 100_000].Array[60]
        select Build(firstPlanDay, protocol, secondPlan ? firstPlanDay + secondPlanDay : null, secondProtocol, ctDays, visitDays, taceDays,
            mdt ? (mdtDay, sessions, interval) : null, progression ? progressionDay : null, recorded, [.. navigation, .. exposure]);

    private static List<ClinicalEvent> Build(
        int planDay, string protocol, int? secondPlanDay, string secondProtocol, int[] ctDays, int[] visitDays, int[] taceDays,
        (int Day, int Sessions, int Interval)? mdt, int? progressionDay, int[] recorded, List<ClinicalEvent> navigation)
    {
        var events = new List<ClinicalEvent> { new SurveillancePlanStarted { PatientId = P, OccurredOn = Epoch.AddDays(planDay), Protocol = protocol } };
        if (secondPlanDay is { } second) events.Add(new SurveillancePlanStarted { PatientId = P, OccurredOn = Epoch.AddDays(second), Protocol = secondProtocol });
        events.AddRange(ctDays.Select(d => new CtResulted { PatientId = P, OccurredOn = Epoch.AddDays(d), Region = "chest", TargetLesions = [] }));
        events.AddRange(visitDays.Select(d => new ClinicVisitRecorded { PatientId = P, OccurredOn = Epoch.AddDays(d) }));
        events.AddRange(taceDays.Select(d => new TacePerformed { PatientId = P, OccurredOn = Epoch.AddDays(d), Target = "liver", Drug = "doxorubicin", DoseMg = 100 }));
        if (mdt is { } m)
            events.Add(new MultidisciplinaryDecisionRecorded
            {
                PatientId = P, OccurredOn = Epoch.AddDays(m.Day), Decision = "TACE",
                PlannedProcedures = [new PlannedProcedure(ProcedureKind.Tace, m.Sessions, m.Interval, null)],
            });
        // Progression is derived from the CTs: a baseline of 50 mm before everything, 70 mm on the day (+40 %).
        if (progressionDay is { } pd)
            events.AddRange(
                new CtResulted { PatientId = P, OccurredOn = Epoch.AddDays(-1), Region = "chest", TargetLesions = [new TargetLesion("a", "lung", 50m)] },
                new CtResulted { PatientId = P, OccurredOn = Epoch.AddDays(pd), Region = "chest", TargetLesions = [new TargetLesion("a", "lung", 70m)] });
        events.AddRange(navigation);
        return events.Select((e, i) => Stamp(e, recorded[i % recorded.Length])).ToList();
    }

    private static readonly Gen<(List<ClinicalEvent> Events, int[] Order, int AsOfDay)> JourneyArrivalAndDay =
        from events in Journey
        from order in Gen.Int.Array[events.Count]
        from asOfDay in Gen.Int[0, 3000]
        select (events, order, asOfDay);

    private static string Json(object value) => JsonSerializer.Serialize(value, JsonDefaults.Options);

    [Fact]
    public void Schedule_is_the_same_for_every_arrival_order() =>
        JourneyArrivalAndDay.Sample(t =>
        {
            var asOf = Epoch.AddDays(t.AsOfDay);
            var arrived = t.Events.Zip(t.Order).OrderBy(x => x.Second).Select(x => x.First).ToList();
            return Json(SurveillanceEngine.Compute(t.Events, asOf)) == Json(SurveillanceEngine.Compute(arrived, asOf));
        }, iter: 2000);

    [Fact]
    public void Read_model_and_entries_from_any_arrival_order_are_identical_to_the_live_ones() =>
        JourneyArrivalAndDay.Sample(t =>
        {
            var arrived = t.Events.Zip(t.Order).OrderBy(x => x.Second).Select(x => x.First).ToList();
            return Json(JourneyProjection.Project(P, t.Events, t.Events.Count)) == Json(JourneyProjection.Project(P, arrived, arrived.Count))
                && Json(JourneyProjection.Entries(t.Events)) == Json(JourneyProjection.Entries(arrived));
        }, iter: 500);

    [Fact]
    public void Every_protocol_due_date_is_the_plan_start_or_a_performed_date_plus_the_interval_in_force_or_the_override() =>
        JourneyArrivalAndDay.Sample(t =>
        {
            var asOf = Epoch.AddDays(t.AsOfDay);
            var known = t.Events.Where(e => e.OccurredOn <= asOf).ToList();
            var plans = known.OfType<SurveillancePlanStarted>().OrderBy(p => p.OccurredOn).ToList();
            var schedule = SurveillanceEngine.Compute(t.Events, asOf);
            foreach (var item in schedule.Items.Where(i => i.Kind is ItemKinds.Ct or ItemKinds.ClinicVisit))
            {
                var performed = known.Where(e => JourneyEvents.Of(e).KindPerformed(e) == item.Kind).Select(e => e.OccurredOn);
                // An overridden item: the navigator's interval, made on or before the day it was done.
                var overriding = known.OfType<SurveillanceIntervalOverridden>().SingleOrDefault(o => o.EventId == item.OverriddenBy);
                if (item.OverriddenBy is not null && (overriding is null || overriding.Kind != item.Kind || overriding.OccurredOn > (item.CompletedOn ?? asOf))) return false;
                var explained = plans.Any(plan =>
                {
                    var protocol = SurveillanceProtocols.ById[plan.Protocol];
                    return performed.Append(plan.StartsOn).Where(a => a >= plan.StartsOn)
                        .Any(anchor => anchor.AddMonths(overriding?.IntervalMonths ?? protocol.IntervalMonthsAt(item.Kind, plan.StartsOn, anchor)) == item.DueOn);
                });
                if (!explained) return false;
            }
            return true;
        }, iter: 2000);
}
