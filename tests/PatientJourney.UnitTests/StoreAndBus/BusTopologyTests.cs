using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Contracts.Imaging;
using PatientJourney.Contracts.Interventional;
using PatientJourney.StoreAndBus.Messaging;

namespace PatientJourney.UnitTests.StoreAndBus;

public class BusTopologyTests
{
    [Fact]
    public void The_envelope_each_departments_envelope_the_batch_bases_and_the_contracts_interfaces_get_no_exchange()
    {
        Type[] abstractTypes = [typeof(ClinicalEvent), typeof(DiagnosisEvent), typeof(ChemotherapyEvent), typeof(InterventionalEvent), typeof(ImagingEvent), typeof(IFactRetraction), .. ContractBatches.Bases];
        Assert.Equal(abstractTypes.OrderBy(t => t.FullName), Bus.WithoutExchange.OrderBy(t => t.FullName));
    }

    [Fact]
    public void Every_event_and_batch_of_the_contract_keeps_its_exchange() =>
        Assert.Empty(Bus.WithoutExchange.Intersect([.. ContractEvents.All, .. ContractBatches.All]));
}
