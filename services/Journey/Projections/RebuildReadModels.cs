using Microsoft.AspNetCore.Http.HttpResults;
using Marten;
using PatientJourney.Hosting.Security;

namespace PatientJourney.Journey.Projections;

/// <summary>POST /admin/rebuild: rewrites every patient's read models from the journey's events (resumable; the service keeps consuming).</summary>
public static class RebuildReadModels
{
    public static RouteHandlerBuilder MapRebuildReadModels(this IEndpointRouteBuilder app) =>
        app.MapPost("/admin/rebuild", Handle).WithTags("Administration").WithName("RebuildReadModels").RequireAuthorization(Policies.Administer);

    private static async Task<Ok<RebuildProgress>> Handle(IDocumentStore store, CancellationToken ct)
    {
        var total = await JourneyRebuild.RebuildAllAsync(store, ct: ct);
        return TypedResults.Ok(new RebuildProgress(total, total));
    }
}
