using Microsoft.AspNetCore.Http.HttpResults;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Hosting.Security;
using PatientJourney.PlanDefinitions;

namespace PatientJourney.Journey.Fhir;

/// <summary>
/// The catalogue the journey schedules from, as FHIR PlanDefinitions: all of them (a collection Bundle), one by id, and
/// $validate, which reads an author's PlanDefinition as the engine would and says what it computes or what it refuses.
/// </summary>
public static class PlanDefinitionsApi
{
    /// <remarks>
    /// The read policy, $validate included: the catalogue holds no patient data, $validate changes nothing (a file in
    /// Surveillance:PlanDefinitions, deployed by the operator, is what adds a protocol), and those who read schedules
    /// (clinicians, navigators, auditors) are the ones who author and check a hospital's protocol.
    /// </remarks>
    public static IEndpointRouteBuilder MapPlanDefinitions(this IEndpointRouteBuilder app)
    {
        var catalogue = app.MapGroup("/surveillance/plan-definitions").WithTags("Surveillance catalogue").RequireAuthorization(Policies.ReadJourney)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        catalogue.MapGet("", () => FhirJson.Of(PlanDefinitionExport.Collection(SurveillanceCatalogue.Current)))
            .WithName("ListPlanDefinitions").Produces(StatusCodes.Status200OK, contentType: FhirJson.ContentType);
        catalogue.MapGet("/{id}", GetOne).WithName("GetPlanDefinition").Produces(StatusCodes.Status200OK, contentType: FhirJson.ContentType)
            .ProducesProblem(StatusCodes.Status404NotFound);
        catalogue.MapPost("/$validate", Validate).WithName("ValidatePlanDefinition")
            .Accepts<object>(FhirJson.ContentType, "application/json").ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }

    private static Results<ContentHttpResult, ProblemHttpResult> GetOne(string id) =>
        PlanDefinitionExport.ById(SurveillanceCatalogue.Current, id) is { } plan ? FhirJson.Of(plan)
        : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown plan definition",
            detail: "No protocol or exposure rule of the catalogue has that id",
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["id"] = ["unknown protocol or rule"] } });

    private static async Task<Results<Ok<PlanDefinitionReading>, ValidationProblem>> Validate(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body, System.Text.Encoding.UTF8);
        var result = PlanDefinitionImport.Read(await reader.ReadToEndAsync(ct));
        var problems = result.Problems.ToList();
        if (result.Reading is { } reading && PlanDefinitionFiles.IsKnown(SurveillanceCatalogue.Current, reading.Id))
            problems.Add(("id", $"'{reading.Id}' is already in the catalogue"));
        if (problems.Count == 0) return TypedResults.Ok(result.Reading);
        var errors = new FieldValidation();
        foreach (var (field, message) in problems) errors.Add(field, message);
        return TypedResults.ValidationProblem(errors.Errors, title: "The engine cannot compute this PlanDefinition");
    }
}
