using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PatientJourney.Harness;

namespace PatientJourney.Chaos;

/// <summary>
/// Posts each request until it is accepted, with the same Idempotency-Key every time, through kills and restarts; with
/// several instances of a department, to each in turn, and to the next one when an instance does not answer.
/// </summary>
public sealed class DepartmentClient
{
    private readonly Dictionary<string, HttpClient[]> _clients;
    private int _retries;
    private int _refused;
    private int _turn;

    public DepartmentClient(IReadOnlyDictionary<string, Uri> departments, Func<string, string> tokenFor)
        : this(departments.ToDictionary(d => d.Key, d => (IReadOnlyList<Uri>)[d.Value]), tokenFor) { }

    public DepartmentClient(IReadOnlyDictionary<string, IReadOnlyList<Uri>> instances, Func<string, string> tokenFor) =>
        _clients = instances.ToDictionary(d => d.Key, d => d.Value.Select(address => AuthenticatedClient.Create(address, tokenFor(d.Key), TimeSpan.FromSeconds(20))).ToArray());

    /// <summary>Idempotency-Key → the eventId its 202 named.</summary>
    public ConcurrentDictionary<string, Guid> Accepted { get; } = new();
    public int Retries => _retries;
    public int Refused => _refused;

    public async Task SendUntilAcceptedAsync(ChaosRequest request, CancellationToken ct)
    {
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        var instances = _clients[request.Department];
        var first = Interlocked.Increment(ref _turn);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var message = new HttpRequestMessage(HttpMethod.Post, request.Path) { Content = JsonContent.Create(request.Body) };
                message.Headers.Add("Idempotency-Key", request.IdempotencyKey);
                using var response = await instances[(int)((uint)(first + attempt) % (uint)instances.Length)].SendAsync(message, ct);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    var accepted = await response.Content.ReadFromJsonAsync<JsonObject>(ct);
                    Accepted[request.IdempotencyKey] = Guid.Parse((string)accepted!["eventId"]!);
                    return;
                }
                if ((int)response.StatusCode is >= 400 and < 500 and not 408 and not 429)
                {
                    Interlocked.Increment(ref _refused);
                    Console.Error.WriteLine($"chaos: {request.Path} refused {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested) { /* the service is down: retry */ }

            if (DateTime.UtcNow > until) throw new TimeoutException($"{request.Path} not accepted within 5 minutes");
            Interlocked.Increment(ref _retries);
            // Another instance may answer at once; the same one again only after a pause.
            if (attempt % instances.Length == 0) await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * attempt)), ct);
        }
    }
}
