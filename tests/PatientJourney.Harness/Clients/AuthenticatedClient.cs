using System.Net.Http.Headers;
using PatientJourney.Hosting.Security;

namespace PatientJourney.Harness;

/// <summary>HTTP clients of a service from outside, carrying a bearer token for a role.</summary>
public static class AuthenticatedClient
{
    public static HttpClient Create(Uri baseAddress, string token, TimeSpan timeout, HttpMessageHandler? handler = null)
    {
        var client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        client.BaseAddress = baseAddress;
        client.Timeout = timeout;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A token on the development key, which the services trust in Development (tests' in-process hosts, the read-side benchmarks).</summary>
    public static string DevelopmentToken(string role, string subject) => DevelopmentTokens.Issue(subject, [role]);
}
