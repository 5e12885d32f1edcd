using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PatientJourney.Journey.Fhir;

/// <summary>A FHIR resource as the journey answers it: FHIR JSON, application/fhir+json.</summary>
public static class FhirJson
{
    public const string ContentType = "application/fhir+json";

    public static ContentHttpResult Of(Resource resource) => TypedResults.Text(resource.ToJson(), ContentType, System.Text.Encoding.UTF8);
}
