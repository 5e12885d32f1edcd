using System.Globalization;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Imaging;

namespace PatientJourney.Journey.Catalogue;

/// <summary>The short codes clinicians read (RECIST, EORTC, procedures) and numbers as the journey writes them.</summary>
public static class ClinicalCodes
{
    public static string Procedure(ProcedureKind p) => p switch
    {
        ProcedureKind.Tace => "TACE",
        ProcedureKind.Rfa => "RFA",
        ProcedureKind.Ct => "CT",
        _ => "PET/CT",
    };

    public static string Num(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
