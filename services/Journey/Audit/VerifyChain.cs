using Marten;
using PatientJourney.Journey.Store;
using Microsoft.AspNetCore.Http.HttpResults;
using static PatientJourney.Journey.Reading.QueryParameters;

namespace PatientJourney.Journey.Audit;

/// <summary>GET /patients/{patientId}/verify: rechecks the patient's hash chain and names the first event whose content or position changed.</summary>
public static class VerifyChain
{
    public static RouteHandlerBuilder MapVerifyChain(this IEndpointRouteBuilder audit) =>
        audit.MapGet("/patients/{patientId}/verify", Handle).WithName("VerifyChain");

    private static async Task<Results<Ok<ChainVerification>, ValidationProblem, ProblemHttpResult>> Handle(
        string patientId, [FromKeyedServices(JourneyStore.Primary)] IQuerySession session, CancellationToken ct)
    {
        if (CheckPatientId(patientId) is { } invalid) return invalid;
        var verification = await EventChain.VerifyAsync(session, patientId, ct);
        return verification.Events == 0 && verification.Intact ? UnknownPatient(patientId) : TypedResults.Ok(verification);
    }
}
