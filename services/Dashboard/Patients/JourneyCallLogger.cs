using Microsoft.Extensions.Http.Logging;

namespace PatientJourney.Dashboard.Patients;

/// <summary>
/// Logs calls to the journey without their URL. HttpClient's own loggers write every request URI at Information, and
/// the journey's paths hold patient ids (`/patients/{id}/journey`); they are removed from the journey client and this
/// one logs only the method, the status and the time taken, never the URI, a header or an exception message.
/// </summary>
public sealed class JourneyCallLogger(ILogger<JourneyCallLogger> logger) : IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request) => null;

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) =>
        logger.LogDebug("Journey call {Method} answered {Status} in {ElapsedMs:0} ms", request.Method.Method, (int)response.StatusCode, elapsed.TotalMilliseconds);

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed)
    {
        // A closed page cancels its calls: not a failure (a timeout is one).
        if (exception is OperationCanceledException { InnerException: not TimeoutException }) return;
        logger.LogWarning("Journey call {Method} failed after {ElapsedMs:0} ms: {Error} {Status}", request.Method.Method, elapsed.TotalMilliseconds,
            exception is HttpRequestException http ? http.HttpRequestError.ToString() : exception.GetType().Name, (int?)response?.StatusCode ?? (int?)(exception as HttpRequestException)?.StatusCode);
    }
}
