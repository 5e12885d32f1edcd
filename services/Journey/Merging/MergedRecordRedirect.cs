using Marten;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;
using PatientJourney.Contracts;
using PatientJourney.Hosting.Http;

namespace PatientJourney.Journey.Merging;

/// <summary>
/// A merged-away record number on a journey read route answers 308 Permanent Redirect to the same route of its survivor,
/// the query string kept: a department, a bookmark or a saved link that still uses the old number finds the one journey
/// of the person, and learns the number to use. The audit routes (events, verify) are not redirected: they read the
/// stored stream of that record number itself, which the merge left as it was.
/// </summary>
public static class MergedRecordRedirect
{
    public static RouteHandlerBuilder RedirectMergedRecords(this RouteHandlerBuilder route) => route
        .AddEndpointFilter(RedirectAsync)
        .Produces(StatusCodes.Status308PermanentRedirect)
        .WithResponseHeader(StatusCodes.Status308PermanentRedirect, "Location", JsonSchemaType.String,
            "The same route of the patient this record number was merged into, with the same query string.");

    private static async ValueTask<object?> RedirectAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Request.RouteValues["patientId"] is not string patientId || !PatientIds.IsValid(patientId)) return await next(context);
        var survivor = await MergedRecords.SurvivorAsync(http.RequestServices.GetRequiredService<IQuerySession>(), patientId, http.RequestAborted);
        if (survivor is null) return await next(context);
        var pattern = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "/patients/{patientId}";
        var path = "/" + pattern.TrimStart('/').Replace("{patientId}", Uri.EscapeDataString(survivor), StringComparison.Ordinal);
        return TypedResults.Redirect($"{http.Request.PathBase}{path}{http.Request.QueryString}", permanent: true, preserveMethod: true);
    }
}
