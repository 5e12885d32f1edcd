using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PatientJourney.SeedLoader;

/// <summary>One department request of the seed case.</summary>
public sealed record SeedRequest(string Department, string Path, JsonObject Body);

/// <summary>The seed case (shared/seed-case/timeline.md) as the requests that record it through the department APIs.</summary>
public sealed record SeedCase(string PatientId, IReadOnlyList<SeedRequest> Requests)
{
    public static readonly IReadOnlyDictionary<string, int> DefaultPorts = new Dictionary<string, int>
    {
        ["diagnosis"] = 5101, ["chemotherapy"] = 5102, ["interventional"] = 5103, ["imaging"] = 5104,
    };

    public static string DefaultFile => Path.Combine(AppContext.BaseDirectory, "seed-case.json");

    public static SeedCase Load(string? file = null)
    {
        var json = JsonNode.Parse(File.ReadAllText(file ?? DefaultFile))!.AsObject();
        var requests = json["requests"]!.AsArray().Select(r => new SeedRequest(
            (string)r!["department"]!, (string)r["path"]!, r["body"]!.AsObject())).ToList();
        return new SeedCase((string)json["patientId"]!, requests);
    }

    /// <summary>
    /// A random interleaving across departments that keeps each department's own order (a regimen before
    /// its cycles, a baseline CT before the CTs assessed against it), as independent departments would post.
    /// </summary>
    public IReadOnlyList<SeedRequest> InterleavedAcrossDepartments(Random random)
    {
        var queues = Requests.GroupBy(r => r.Department).Select(g => new Queue<SeedRequest>(g)).ToList();
        var order = new List<SeedRequest>(Requests.Count);
        while (queues.Count > 0)
        {
            // Weighted by what is left, so every interleaving is possible.
            var pick = random.Next(queues.Sum(q => q.Count));
            var queue = queues.First(q => (pick -= q.Count) < 0);
            order.Add(queue.Dequeue());
            if (queue.Count == 0) queues.Remove(queue);
        }
        return order;
    }

    /// <summary>Posts one request; the Idempotency-Key makes loading the seed twice record nothing new.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, SeedRequest request, string idempotencyKey, CancellationToken ct = default)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Path)
        {
            Content = JsonContent.Create(request.Body, options: new JsonSerializerOptions(JsonSerializerDefaults.Web)),
        };
        message.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(message, ct);
    }

    /// <summary>The events the journey holds once the seed is in: one a request.</summary>
    public int JourneyEventCount => Requests.Count;

    /// <summary>The journey's entries: every event, and the response it derives from each CT and PET/CT after the first.</summary>
    public int JourneyEntryCount => JourneyEventCount + Scans("/ct") - 1 + Scans("/pet-ct") - 1;

    private int Scans(string path) => Requests.Count(r => r.Path.EndsWith(path, StringComparison.Ordinal));

    public string IdempotencyKey(SeedRequest request) => $"seed-{PatientId}-{Requests.ToList().IndexOf(request)}";
}
