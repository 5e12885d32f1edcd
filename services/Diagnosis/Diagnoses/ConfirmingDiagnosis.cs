using PatientJourney.Contracts;
using PatientJourney.DepartmentKit;
using PatientJourney.Contracts.Diagnosis;

namespace PatientJourney.Diagnosis.Diagnoses;

public sealed record ImmunohistochemistryRequest(IReadOnlyList<string>? Positive, IReadOnlyList<string>? Negative);

public sealed record ConfirmDiagnosis(
    DateOnly? OccurredOn, string? Histology, string? Differentiation, string? PrimarySite,
    IReadOnlyList<string>? MetastaticSites, ImmunohistochemistryRequest? Immunohistochemistry) : IValidatedRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        v.ClinicalDate(OccurredOn, "occurredOn", today);
        DiagnosisConfirmed.CheckFindings(v, Histology, Differentiation, PrimarySite, MetastaticSites, Immunohistochemistry?.Positive, Immunohistochemistry?.Negative);
    }
}

public static class ConfirmingDiagnosis
{
    public static void Map(IEndpointRouteBuilder patients) =>
        patients.MapCommand<ConfirmDiagnosis>("/{patientId}/diagnoses", Decide).Records<DiagnosisConfirmed>().WithName("ConfirmDiagnosis");

    public static Decision Decide(ConfirmDiagnosis r, CommandContext c) => new DiagnosisConfirmed
    {
        PatientId = c.PatientId,
        OccurredOn = r.OccurredOn!.Value,
        Histology = r.Histology!,
        Differentiation = r.Differentiation,
        PrimarySite = r.PrimarySite,
        MetastaticSites = r.MetastaticSites ?? [],
        Immunohistochemistry = r.Immunohistochemistry is { } ihc
            ? new Immunohistochemistry(ihc.Positive ?? [], ihc.Negative ?? [])
            : null,
    };
}
