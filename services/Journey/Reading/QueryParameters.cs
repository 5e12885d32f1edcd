using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using PatientJourney.Hosting.Security;
using PatientJourney.Contracts;

namespace PatientJourney.Journey.Reading;

/// <summary>How every query of the journey reads its parameters and answers what it cannot (400, 403, 404 problem documents).</summary>
public static class QueryParameters
{
    /// <summary>The most rows one page may ask for (patients, worklist).</summary>
    public const int MaxLimit = 5000;

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public static bool TryParseDate(string? value, DateOnly fallback, out DateOnly day)
    {
        day = fallback;
        return string.IsNullOrEmpty(value) || DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }

    /// <summary>
    /// "Known at" is when the journey stored the event (its own clock, kept in the event's hash-chain link), never a
    /// time a sender wrote: the envelope's recordedAt is the department's word, kept as data.
    /// </summary>
    public static bool TryParseKnownAt(string? value, out DateTimeOffset knownAt)
    {
        knownAt = DateTimeOffset.MaxValue;
        return string.IsNullOrEmpty(value)
            || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out knownAt);
    }

    public static ValidationProblem? CheckPatientId(string patientId)
    {
        var v = new FieldValidation();
        return v.PatientId(patientId) ? null : TypedResults.ValidationProblem(v.Errors);
    }

    public static ValidationProblem BadQuery(string field, string message) =>
        TypedResults.ValidationProblem(new FieldValidation().Add(field, message).Errors);

    public static ProblemHttpResult UnknownPatient(string patientId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "Unknown patient", detail: $"The journey has no events for patient {patientId}",
        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["patientId"] = ["unknown patient"] } });

    /// <summary>Clinicians read the present; what was known at an earlier time is an audit question.</summary>
    public static async ValueTask<object?> AsKnownAtIsForAuditors(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        context.HttpContext.Request.Query.ContainsKey("asKnownAt") && !context.HttpContext.User.IsInRole(Roles.Auditor)
            ? TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "asKnownAt is for auditors",
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["asKnownAt"] = ["requires the auditor role"] } })
            : await next(context);
}
