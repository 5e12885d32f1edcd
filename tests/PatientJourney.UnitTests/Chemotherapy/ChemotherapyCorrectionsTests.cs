using PatientJourney.Chemotherapy.Corrections;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;

namespace PatientJourney.UnitTests.Chemotherapy;

public class ChemotherapyCorrectionsTests
{
    private static ChemoCycleCompleted Cycle(int n, string regimen = "AI-1") => new()
    {
        EventId = Guid.NewGuid(), PatientId = "P", OccurredOn = new DateOnly(2011, 1, 12).AddDays(21 * (n - 1)), RegimenId = regimen, CycleNumber = n,
        StartedOn = new DateOnly(2011, 1, 10).AddDays(21 * (n - 1)), BsaM2 = 1.7m, Drugs = [], CumulativeDoxorubicinMgPerM2 = 75m * n,
    };

    private static ChemoRegimenStarted Regimen(string id = "AI-1") => new()
    {
        EventId = Guid.NewGuid(), PatientId = "P", OccurredOn = new DateOnly(2011, 1, 10), RegimenId = id, Name = "AI", CycleLengthDays = 21,
        HeightCm = 165, WeightKg = 65, BsaM2 = 1.7m, Drugs = [],
    };

    [Fact]
    public void The_latest_cycle_of_a_regimen_is_corrected_and_an_earlier_one_only_once_the_later_ones_are_gone()
    {
        var (c1, c2, c3) = (Cycle(1), Cycle(2), Cycle(3));
        Assert.Null(ChemotherapyCorrections.Check(c3, null, [Regimen(), c1, c2]));
        Assert.NotNull(ChemotherapyCorrections.Check(c2, null, [Regimen(), c1, c3])?.Refused);
        Assert.NotNull(ChemotherapyCorrections.Check(c2, Cycle(2), [Regimen(), c1, Cycle(2), c3])?.Refused);
        Assert.Null(ChemotherapyCorrections.Check(c2, null, [Regimen(), c1, Cycle(3, "OTHER")])); // another regimen's cycle
    }

    [Fact]
    public void A_regimen_is_corrected_only_while_none_of_its_cycles_stand_and_keeps_its_id_while_a_stop_names_it()
    {
        var regimen = Regimen();
        var stop = new ChemoRegimenStopped { PatientId = "P", OccurredOn = new DateOnly(2011, 3, 1), RegimenId = "AI-1", Reason = "toxicity" };
        Assert.NotNull(ChemotherapyCorrections.Check(regimen, null, [Cycle(1)])?.Refused);
        Assert.NotNull(ChemotherapyCorrections.Check(regimen, null, [stop])?.Refused);
        Assert.Null(ChemotherapyCorrections.Check(regimen, Regimen() with { WeightKg = 70 }, [stop]));
        Assert.NotNull(ChemotherapyCorrections.Check(regimen, Regimen("AI-2"), [stop])?.Refused);
        Assert.Null(ChemotherapyCorrections.Check(regimen, null, []));
    }
}
