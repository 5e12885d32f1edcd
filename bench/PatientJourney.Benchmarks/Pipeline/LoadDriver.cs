using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using PatientJourney.Contracts;
using PatientJourney.Harness;

namespace PatientJourney.Benchmarks.Pipeline;

/// <summary>What one load phase did at the department doors.</summary>
public sealed record LoadFigures(long Requests, long Accepted, long Refused, long Failed, TimeSpan Elapsed, IReadOnlyList<double> RequestMilliseconds)
{
    public double AcceptedPerSecond => Accepted / Elapsed.TotalSeconds;
}

/// <summary>
/// Posts synthetic journeys to the department APIs, the way integration engines would: each patient's requests in order,
/// many patients at once. Closed loop (a fixed number of clients, as fast as answers come: saturation) or open loop (a
/// fixed number of requests a second whatever the answers: offered load). Each 202's eventId is noted with the moment it
/// was answered, for the delivery watcher to time its way into the journey.
/// </summary>
public sealed class LoadDriver : IDisposable
{
    private readonly Dictionary<string, HttpClient[]> _clients;
    private int _turn;
    private readonly string _patientPrefix;
    private int _nextPatient;

    /// <param name="departments">Each department's address; the same address for all of them measures a bare endpoint.</param>
    /// <param name="tokenFor">A department's bearer token.</param>
    public LoadDriver(IReadOnlyDictionary<string, Uri> departments, string patientPrefix, Func<string, string> tokenFor)
        : this(departments.ToDictionary(d => d.Key, d => (IReadOnlyList<Uri>)[d.Value]), patientPrefix, tokenFor) { }

    /// <param name="instances">Each department's instances (scaled out): the requests go to each in turn.</param>
    public LoadDriver(IReadOnlyDictionary<string, IReadOnlyList<Uri>> instances, string patientPrefix, Func<string, string> tokenFor)
    {
        _patientPrefix = patientPrefix;
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        _clients = Departments.All.ToDictionary(d => d, d => instances[d].Select(address => AuthenticatedClient.Create(address, tokenFor(d), TimeSpan.FromSeconds(30), handler)).ToArray());
    }

    private HttpClient ClientOf(string department)
    {
        var instances = _clients[department];
        return instances.Length == 1 ? instances[0] : instances[(int)((uint)Interlocked.Increment(ref _turn) % (uint)instances.Length)];
    }

    /// <summary>eventId of each 202 → Stopwatch timestamp of its answer.</summary>
    public ConcurrentDictionary<Guid, long> Accepted { get; } = new();

    /// <summary>As many requests as <paramref name="clients"/> callers can make, for <paramref name="duration"/>.</summary>
    public async Task<LoadFigures> RunClosedAsync(int clients, TimeSpan duration, CancellationToken ct)
    {
        var phase = new Phase();
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < until)
                foreach (var request in NextPatient())
                {
                    if (Stopwatch.GetTimestamp() >= until) break;
                    await SendAsync(request, phase, ct);
                }
        }, ct)));
        return phase.Figures();
    }

    /// <summary>
    /// As many batches as <paramref name="clients"/> callers can make, for <paramref name="duration"/>: each caller keeps
    /// <paramref name="patientsPerBatch"/> patients going and sends, to each department, one <c>POST /batch</c> holding
    /// the next request of every one of its patients whose next request goes there (so a patient's requests stay in
    /// order), the way an integration engine forwards a night's reports.
    /// </summary>
    public async Task<LoadFigures> RunClosedBatchesAsync(int clients, int patientsPerBatch, TimeSpan duration, CancellationToken ct)
    {
        var phase = new Phase();
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            var patients = Enumerable.Range(0, patientsPerBatch).Select(_ => NextPatient().GetEnumerator()).ToList();
            while (Stopwatch.GetTimestamp() < until)
            {
                for (var i = 0; i < patients.Count; i++)
                    while (!patients[i].MoveNext()) patients[i] = NextPatient().GetEnumerator();
                await Task.WhenAll(patients.Select(p => p.Current).GroupBy(r => r.Department)
                    .Select(batch => SendBatchAsync(batch.Key, batch.ToList(), phase, ct)));
            }
        }, ct)));
        return phase.Figures();
    }

    private async Task SendBatchAsync(string department, IReadOnlyList<DepartmentRequest> requests, Phase phase, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var body = new MemoryStream();
            body.Write("{\"entries\":["u8);
            for (var i = 0; i < requests.Count; i++)
            {
                if (i > 0) body.Write(","u8);
                body.Write("{\"path\":"u8);
                body.Write(JsonSerializer.SerializeToUtf8Bytes(requests[i].Path));
                body.Write(",\"body\":"u8);
                body.Write(requests[i].Body);
                body.Write("}"u8);
            }
            body.Write("]}"u8);
            using var message = new HttpRequestMessage(HttpMethod.Post, "/batch") { Content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length) };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await ClientOf(department).SendAsync(message, ct);
            var answer = await response.Content.ReadAsByteArrayAsync(ct);
            var answered = Stopwatch.GetTimestamp();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Console.Error.WriteLine($"bench: /batch answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(answer)}");
                foreach (var _ in requests) phase.Done(started, answered, ok: false);
                Interlocked.Add(ref phase.Refused, requests.Count);
                return;
            }
            using var entries = JsonDocument.Parse(answer);
            foreach (var entry in entries.RootElement.GetProperty("entries").EnumerateArray())
            {
                var ok = entry.GetProperty("status").GetInt32() == (int)HttpStatusCode.Accepted;
                if (ok) Accepted[entry.GetProperty("eventId").GetGuid()] = answered;
                else if (Interlocked.Increment(ref phase.Refused) <= 3) Console.Error.WriteLine($"bench: a /batch entry answered {entry}");
                phase.Done(started, answered, ok);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            Interlocked.Add(ref phase.Failed, requests.Count);
        }
    }

    /// <summary>
    /// Starts <paramref name="perSecond"/> requests a second, each the next request of a patient whose previous one was
    /// answered (a new patient when none is free), so the offered load does not bend to the answers. With a
    /// <paramref name="batchTick"/>, what became due goes out every tick as one <c>POST /batch</c> per department.
    /// </summary>
    public async Task<LoadFigures> RunOpenAsync(int perSecond, TimeSpan duration, CancellationToken ct, TimeSpan? batchTick = null)
    {
        var phase = new Phase();
        var free = new ConcurrentQueue<IEnumerator<DepartmentRequest>>();
        var inFlight = new List<Task>();
        var started = Stopwatch.GetTimestamp();
        long sent = 0;
        while (true)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed >= duration) break;
            var due = new List<IEnumerator<DepartmentRequest>>();
            for (var until = (long)(elapsed.TotalSeconds * perSecond); sent < until; sent++) due.Add(NextFree(free));
            if (batchTick is null)
                foreach (var next in due)
                    inFlight.Add(SendAsync(next.Current, phase, ct).ContinueWith(_ => free.Enqueue(next), TaskScheduler.Default));
            else
                foreach (var batch in due.GroupBy(p => p.Current.Department))
                {
                    var patients = batch.ToList();
                    inFlight.Add(SendBatchAsync(batch.Key, patients.Select(p => p.Current).ToList(), phase, ct)
                        .ContinueWith(_ => { foreach (var p in patients) free.Enqueue(p); }, TaskScheduler.Default));
                }
            inFlight.RemoveAll(t => t.IsCompleted);
            await Task.Delay(batchTick ?? TimeSpan.FromMilliseconds(1), ct);
        }
        await Task.WhenAll(inFlight);
        return phase.Figures();
    }

    /// <summary>The next request of a patient whose previous one was answered, or of a new patient when none is free.</summary>
    private IEnumerator<DepartmentRequest> NextFree(ConcurrentQueue<IEnumerator<DepartmentRequest>> free)
    {
        if (free.TryDequeue(out var patient) && patient.MoveNext()) return patient;
        patient = NextPatient().GetEnumerator();
        patient.MoveNext();
        return patient;
    }

    private IReadOnlyList<DepartmentRequest> NextPatient()
    {
        var n = Interlocked.Increment(ref _nextPatient);
        return SyntheticJourneys.ForPatient($"{_patientPrefix}-{n:D7}", n);
    }

    private async Task SendAsync(DepartmentRequest request, Phase phase, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, request.Path) { Content = new ByteArrayContent(request.Body) };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await ClientOf(request.Department).SendAsync(message, ct);
            var body = await response.Content.ReadAsByteArrayAsync(ct);
            var answered = Stopwatch.GetTimestamp();
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                using var accepted = JsonDocument.Parse(body);
                Accepted[accepted.RootElement.GetProperty("eventId").GetGuid()] = answered;
                phase.Done(started, answered, ok: true);
            }
            else
            {
                if (Interlocked.Increment(ref phase.Refused) <= 3)
                    Console.Error.WriteLine($"bench: {request.Path} answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
                phase.Done(started, answered, ok: false);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            Interlocked.Increment(ref phase.Failed);
        }
    }

    private sealed class Phase
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private readonly ConcurrentBag<double> _timings = [];
        private long _requests, _accepted;
        public long Refused, Failed;

        public void Done(long started, long answered, bool ok)
        {
            Interlocked.Increment(ref _requests);
            if (ok) Interlocked.Increment(ref _accepted);
            _timings.Add(Stopwatch.GetElapsedTime(started, answered).TotalMilliseconds);
        }

        public LoadFigures Figures() => new(_requests + Failed, _accepted, Refused, Failed, Stopwatch.GetElapsedTime(_started), _timings.Order().ToList());
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values.SelectMany(c => c)) client.Dispose();
    }
}
