using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace PatientJourney.PlanDefinitions;

/// <summary>Firely's validator against the R4 core profiles (specification.zip beside the assembly), built once when first needed.</summary>
public static class R4CoreValidation
{
    private static readonly Lazy<Validator> Validator = new(() =>
    {
        var resolver = new CachedResolver(ZipSource.CreateValidationSource());
        return new Validator(resolver.AsAsync(), new LocalTerminologyService(resolver.AsAsync()));
    });

    // Built once and shared; validation is rare (a file at start, an author's request) and is not known to be thread-safe.
    private static readonly Lock Gate = new();

    /// <summary>The errors (and fatal issues) of the resource against R4 core, as (FHIRPath, message).</summary>
    public static IReadOnlyList<(string Path, string Message)> Errors(Resource resource)
    {
        OperationOutcome outcome;
        lock (Gate) outcome = Validator.Value.Validate(resource);
        return outcome.Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => (Path: i.Expression.FirstOrDefault() ?? i.Location.FirstOrDefault() ?? resource.TypeName, Message: i.Details?.Text ?? i.Diagnostics ?? "invalid"))
            .ToList();
    }
}
