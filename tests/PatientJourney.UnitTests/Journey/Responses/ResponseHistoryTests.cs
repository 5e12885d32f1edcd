using System.Text.Json;
using CsCheck;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Imaging;
using PatientJourney.Hosting;
using PatientJourney.Journey.Catalogue;
using PatientJourney.Journey.Responses;
using static PatientJourney.UnitTests.Journey.Responses.Scans;

namespace PatientJourney.UnitTests.Journey.Responses;

/// <summary>Responses derived from a patient's facts in clinical order, whatever order the facts arrived in.</summary>
public class ResponseHistoryTests
{
    private static ResponseHistory Derive(IEnumerable<ClinicalEvent> events) => ResponseHistory.Derive(ClinicalOrder.Sort(events));

    [Fact]
    public void A_late_earlier_ct_becomes_the_baseline_and_every_later_response_is_derived_against_it()
    {
        var march = Ct("2020-03-01", [T("a", 100)]);
        var june = Ct("2020-06-01", [T("a", 60)]);
        var september = Ct("2020-09-01", [T("a", 45)]);
        var january = Ct("2020-01-01", [T("a", 50)]); // arrives last
        var before = Derive([march, june, september]);
        Assert.Equal([RecistCategory.PartialResponse, RecistCategory.PartialResponse], before.Recist.Select(r => r.Category));

        var after = Derive([march, june, september, january]);
        Assert.All(after.Recist, r => Assert.Equal(new DateOnly(2020, 1, 1), r.BaselineOn));
        // Against 50 mm, 03-01 (100 mm) and 06-01 (60 mm: +20 %, +10 mm) are PD; 09-01 (45 mm) is -10 %: SD.
        Assert.Equal(
            [(march.EventId, RecistCategory.ProgressiveDisease), (june.EventId, RecistCategory.ProgressiveDisease), (september.EventId, RecistCategory.StableDisease)],
            after.Recist.Select(r => (r.CtEventId, r.Category)));
    }

    [Fact]
    public void A_not_evaluable_ct_does_not_set_the_nadir()
    {
        var baseline = Ct("2020-01-01", [T("a", 60), T("b", 40)]);
        var partial = Ct("2020-03-01", [T("a", 30)]);   // b not measured: NE, and 30 mm is no nadir
        var full = Ct("2020-06-01", [T("a", 40), T("b", 30)]);
        var r = Derive([baseline, partial, full]).Recist;
        Assert.Equal((RecistCategory.NotEvaluable, RecistCategory.PartialResponse, 100m), (r[0].Category, r[1].Category, r[1].NadirSumMm));
    }

    [Fact]
    public void Reappearance_after_a_complete_response_is_derived_across_the_history()
    {
        var r = Derive([Ct("2020-01-01", [T("a", 30)]), Ct("2020-04-01", [T("a", 0)]), Ct("2020-07-01", [T("a", 10)])]).Recist;
        Assert.Equal([RecistCategory.CompleteResponse, RecistCategory.ProgressiveDisease], r.Select(x => x.Category));
    }

    [Fact]
    public void The_cycles_before_a_pet_are_counted_from_the_chemotherapy_facts()
    {
        var staging = Pet("2020-01-01", PetCtIndication.Staging, [Uptake("a", 10m)]);
        var afterOne = Pet("2020-01-25", PetCtIndication.Response, [Uptake("a", 8.5m)]);
        var afterTwo = Pet("2020-02-15", PetCtIndication.Response, [Uptake("a", 8.5m)]);
        var m = Derive([staging, afterOne, afterTwo, Cycle(1, "2020-01-02"), Cycle(2, "2020-01-25")]).Metabolic;
        Assert.Equal([(1, MetabolicCategory.PartialMetabolicResponse), (2, MetabolicCategory.StableMetabolicDisease)],
            m.Select(x => (x.CyclesSinceBaseline, x.Category)));
    }

    private static ChemoCycleCompleted Cycle(int number, string startedOn) => new()
    {
        EventId = Guid.CreateVersion7(), PatientId = "P-1", RegimenId = "AI", CycleNumber = number, StartedOn = DateOnly.Parse(startedOn),
        OccurredOn = DateOnly.Parse(startedOn).AddDays(3), BsaM2 = 1.8m, Drugs = [], CumulativeDoxorubicinMgPerM2 = 0m,
    };

    private static readonly Gen<List<ClinicalEvent>> Facts =
        from baselineDay in Gen.Int[0, 60]
        from sums in Gen.Select(Gen.Int[0, 80], Gen.Int[0, 80], Gen.Bool).Array[1, 8]
        from pets in Gen.Select(Gen.Int[0, 400], Gen.Int[0, 150]).Array[0, 4]
        from cycles in Gen.Int[0, 400].Array[0, 6]
        select Build(baselineDay, sums, pets, cycles);

    private static List<ClinicalEvent> Build(int baselineDay, (int A, int B, bool Both)[] sums, (int Day, int Suv)[] pets, int[] cycles)
    {
        var day0 = new DateOnly(2020, 1, 1);
        var events = new List<ClinicalEvent>
        {
            Ct(day0.AddDays(baselineDay).ToString("yyyy-MM-dd"), [T("a", 40), T("b", 30)]),
            Pet(day0.ToString("yyyy-MM-dd"), PetCtIndication.Staging, [Uptake("a", 10m), Uptake("b", 6m)]),
        };
        events.AddRange(sums.Select((s, i) => Ct(day0.AddDays(70 + 30 * i).ToString("yyyy-MM-dd"), s.Both ? [T("a", s.A), T("b", s.B)] : [T("a", s.A)])));
        events.AddRange(pets.Select(p => Pet(day0.AddDays(1 + p.Day).ToString("yyyy-MM-dd"), PetCtIndication.Response, [Uptake("a", p.Suv / 10m)])));
        events.AddRange(cycles.Select((d, i) => Cycle(i + 1, day0.AddDays(d).ToString("yyyy-MM-dd"))));
        return events;
    }

    [Fact]
    public void Every_arrival_order_of_a_patients_facts_gives_the_same_responses() =>
        Gen.Select(Facts, Gen.Int.Array[40]).Sample((facts, order) =>
        {
            var arrived = facts.Select((f, i) => (f, Key: order[i % order.Length] ^ i)).OrderBy(x => x.Key).Select(x => x.f).ToList();
            return JsonSerializer.Serialize(Derive(facts), JsonDefaults.Options) == JsonSerializer.Serialize(Derive(arrived), JsonDefaults.Options);
        }, iter: 500);
}
