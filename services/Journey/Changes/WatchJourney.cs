using System.Globalization;
using PatientJourney.Journey.Reading;

namespace PatientJourney.Journey.Changes;

/// <summary>GET /patients/{patientId}/changes: the dashboard's live pages.</summary>
public static class WatchJourney
{
    /// <summary>
    /// Server-sent events: "recorded" each time the patient's journey stores an event. The stream ends when the
    /// caller's token expires ("expired"), as a request with it would then be refused.
    /// </summary>
    public static RouteHandlerBuilder MapWatchJourney(this IEndpointRouteBuilder read) =>
        read.MapGet("/patients/{patientId}/changes", (string patientId, HttpContext http, JourneyChanges changes, CancellationToken ct) =>
            QueryParameters.CheckPatientId(patientId) is { } invalid ? (IResult)invalid
                : TypedResults.ServerSentEvents(changes.WatchAsync(patientId, ct, TokenExpiry(http.User))))
            .WithName("WatchJourney").Produces(StatusCodes.Status200OK, contentType: "text/event-stream");

    /// <summary>The token's "exp" (seconds since 1970), or null for a token without one (none is accepted).</summary>
    private static DateTimeOffset? TokenExpiry(System.Security.Claims.ClaimsPrincipal user) =>
        long.TryParse(user.FindFirst("exp")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var exp) ? DateTimeOffset.FromUnixTimeSeconds(exp) : null;
}
