using System.Net.Http.Headers;
using PatientJourney.Hosting.Security;
using System.CommandLine;
using PatientJourney.SeedLoader;

var file = new Option<string>("--file") { Description = "The seed case file", DefaultValueFactory = _ => SeedCase.DefaultFile };
var host = new Option<string>("--host") { Description = "Where the department services listen", DefaultValueFactory = _ => "http://localhost" };
var shuffle = new Option<int?>("--shuffle") { Description = "Interleave departments at random with this seed (each department keeps its own order)" };
var root = new RootCommand("Posts the seed case through the department APIs (safe to repeat: each request carries an Idempotency-Key)")
{
    file, host, shuffle,
};
root.SetAction(async (parse, ct) =>
{
    var seed = SeedCase.Load(parse.GetValue(file));
    var requests = parse.GetValue(shuffle) is { } s ? seed.InterleavedAcrossDepartments(new Random(s)) : seed.Requests;
    // Each department's requests carry that department's development token (Auth__SigningKey, else the development key).
    var signingKey = Environment.GetEnvironmentVariable("Auth__SigningKey") is { Length: > 0 } k ? DevelopmentTokens.KeyFrom(k) : null;
    var clients = SeedCase.DefaultPorts.ToDictionary(kv => kv.Key, kv => new HttpClient
    {
        BaseAddress = new Uri($"{parse.GetValue(host)}:{kv.Value}"),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", DevelopmentTokens.Issue("seed-loader", [Roles.Department(kv.Key)], key: signingKey)) },
    });
    var failed = 0;
    foreach (var request in requests)
    {
        using var response = await SeedCase.PostAsync(clients[request.Department], request, seed.IdempotencyKey(request), ct);
        if ((int)response.StatusCode == 202) continue;
        failed++;
        Console.Error.WriteLine($"{request.Department} {request.Path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }
    Console.WriteLine($"seed case {seed.PatientId}: {requests.Count - failed} of {requests.Count} requests accepted");
    return failed == 0 ? 0 : 1;
});
return await root.Parse(args).InvokeAsync();
