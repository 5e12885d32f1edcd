using System.Diagnostics;
using System.Net;
using PatientJourney.Hosting.Security;
using PatientJourney.Harness;
using PatientJourney.Journey;

namespace PatientJourney.Benchmarks;

/// <summary>
/// Dashboard page latency with many patients in the journey: generates journeys (events in the journey's streams and
/// their read models), starts the built journey and dashboard services on that database, signs in as an auditor
/// (who may open every page) and times whole pages as the browser receives them.
/// </summary>
public static class DashboardBenchmark
{
    private const string Database = "pj_bench_dashboard";

    public static async Task<int> RunAsync(int patients, int requests, string journeyDll, string dashboardDll, TextWriter output)
    {
        try
        {
            return await MeasureAsync(patients, requests, journeyDll, dashboardDll, output);
        }
        finally
        {
            await SharedServers.DropDatabaseAsync(Database);
        }
    }

    private static async Task<int> MeasureAsync(int patients, int requests, string journeyDll, string dashboardDll, TextWriter output)
    {
        var connectionString = await WorklistBenchmark.FreshDatabaseAsync(Database);
        var stopwatch = Stopwatch.StartNew();
        using (var store = JourneyServiceExtensions.OpenJourneyStore(connectionString))
        {
            await WorklistBenchmark.StoreJourneysAsync(store, patients);
            output.WriteLine($"stored {patients:N0} patients (events and read models) in {stopwatch.Elapsed.TotalSeconds:F1} s");
        }
        await WorklistBenchmark.AnalyzeAsync(connectionString);

        using var journey = new ServiceProcess("journey", journeyDll, ServiceCatalog.ReadSideEnvironment(connectionString), WorklistBenchmark.LogFile(Database, "journey"));
        using var dashboard = new ServiceProcess("dashboard", dashboardDll, ServiceCatalog.DashboardEnvironment(connectionString, journey.BaseAddress),
            WorklistBenchmark.LogFile(Database, "dashboard"));
        journey.Start();
        dashboard.Start();
        try
        {
            await journey.WaitReadyAsync(TimeSpan.FromMinutes(1));
            await dashboard.WaitReadyAsync(TimeSpan.FromMinutes(1));
            var cookies = new CookieContainer();
            using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = dashboard.BaseAddress };
            // As a browser does: the sign-in page first, for its anti-forgery field (paired with a cookie), then the form.
            var field = System.Text.RegularExpressions.Regex.Match(await http.GetStringAsync("/signin"), "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
            using var signIn = await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(field), ["token"] = DevelopmentTokens.Issue("bench", [Roles.Auditor]),
            }));
            if (signIn.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in answered {signIn.StatusCode}");

            var random = new Random(7);
            var pages = new (string Name, Func<string> Path)[]
            {
                ("worklist `/` (as of today, every open item)", () => "/"),
                ("worklist `/?status=due`", () => "/?status=due"),
                ("patient page `/patients/{id}` (a different patient each time)", () => $"/patients/BENCH-{random.Next(patients):D6}"),
                ("audit page `/patients/{id}/audit`", () => $"/patients/BENCH-{random.Next(patients):D6}/audit"),
                ("patient list `/patients?page=N` (100 patients a page)", () => $"/patients?page={random.Next(1, patients / 100 + 1)}"),
            };
            output.WriteLine("| page | patients | requests | p50 ms | p95 ms | p99 ms | bytes |");
            output.WriteLine("|---|---|---|---|---|---|---|");
            foreach (var (name, path) in pages)
            {
                for (var i = 0; i < 10; i++) (await http.GetAsync(path())).EnsureSuccessStatusCode(); // warm-up
                var timings = new List<double>(requests);
                long bytes = 0;
                for (var i = 0; i < requests; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    using var response = await http.GetAsync(path());
                    response.EnsureSuccessStatusCode();
                    bytes += (await response.Content.ReadAsByteArrayAsync()).Length;
                    timings.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                timings.Sort();
                output.WriteLine($"| {name} | {patients:N0} | {requests} | {WorklistBenchmark.P(timings, 0.50):F1} | {WorklistBenchmark.P(timings, 0.95):F1} | {WorklistBenchmark.P(timings, 0.99):F1} | {bytes / requests:N0} |");
            }
        }
        finally
        {
            journey.Kill();
            dashboard.Kill();
        }
        return 0;
    }
}
