using PatientJourney.Contracts.Diagnosis;

namespace PatientJourney.Journey.Catalogue;

/// <summary>A surveillance item kind as the contract names it: what an event performs, and what a protocol schedules.</summary>
public static class ItemKinds
{
    public const string Ct = SurveillanceItemKinds.Ct;
    public const string PetCt = SurveillanceItemKinds.PetCt;
    public const string ClinicVisit = SurveillanceItemKinds.ClinicVisit;
    public const string Tace = SurveillanceItemKinds.Tace;
    public const string Rfa = SurveillanceItemKinds.Rfa;
    public const string Echocardiogram = SurveillanceItemKinds.Echocardiogram;

    public static bool IsImaging(string kind) => kind is Ct or PetCt;

    /// <summary>Days either side of dueOn during which an item is "due" rather than upcoming or overdue (contract).</summary>
    public static int GraceDays(string kind) => kind == ClinicVisit ? 7 : 14;
}
