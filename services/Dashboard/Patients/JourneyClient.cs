using Microsoft.Extensions.Diagnostics.HealthChecks;
using PatientJourney.Hosting;

namespace PatientJourney.Dashboard.Patients;

public sealed record NextDue(string Kind, DateOnly DueOn);
public sealed record PatientRow(string PatientId, string? DisplayName, bool Registered, NextDue? NextDue, int OverdueCount);

public sealed record WorklistRow(string PatientId, string? DisplayName, string Kind, DateOnly DueOn, string Status);
/// <summary>An event, or a response the journey derived (department "journey", <paramref name="Assesses"/> the scan).</summary>
/// <param name="Retracted">Withdrawn by its department; <paramref name="AmendedBy"/>: replaced by that version; either counts in nothing.</param>
/// <param name="Amends">The version this one replaced; <paramref name="Correction"/>: why, by whom, when (the retraction, the replacement, or this amendment).</param>
public sealed record EntryRow(Guid EventId, string Type, string Department, DateOnly OccurredOn, DateTimeOffset RecordedAt, string Summary, Guid? Assesses = null,
    bool Retracted = false, Guid? AmendedBy = null, Guid? Amends = null, EntryCorrection? Correction = null)
{
    /// <summary>"retracted", "replaced", or null for an entry that stands.</summary>
    public string? CorrectedAs => Retracted ? "retracted" : AmendedBy is not null ? "replaced" : null;
}

/// <summary>Why a fact was corrected, by whom (a user's sub) and when the department recorded the correction.</summary>
public sealed record EntryCorrection(string Reason, string By, DateTimeOffset At);
public sealed record Doxorubicin(decimal Systemic, decimal? Locoregional, decimal Total, DoxorubicinEquivalent? DoxorubicinEquivalent = null, decimal LiposomalDoxorubicin = 0m);

/// <summary>Every anthracycline as doxorubicin counts it; absent from a journey older than the formulary.</summary>
public sealed record DoxorubicinEquivalent(decimal Systemic, decimal? Locoregional, decimal Total);
public sealed record Response(string Category, DateOnly AssessedOn, decimal? ChangeFromBaselinePercent);
public sealed record Flag(string Code, string Severity, string Message);
public sealed record JourneyView(string PatientId, bool Registered, IReadOnlyList<EntryRow> Entries, Doxorubicin CumulativeDoxorubicinMgPerM2, Response? LatestResponse, IReadOnlyList<Flag> Flags);
public sealed record TumourBurdenPoint(DateOnly PerformedOn, decimal SumOfDiametersMm, string? Category);
public sealed record SuvPoint(DateOnly PerformedOn, string LesionId, string Site, decimal SuvMax, bool Resolved);
/// <summary>An echocardiogram read against the patient's first (the reference); <paramref name="Ctrcd"/>: mild, moderate, severe or null.</summary>
public sealed record EchocardiogramPoint(DateOnly PerformedOn, decimal LvefPercent, decimal? GlobalLongitudinalStrainPercent, Guid EventId,
    DateOnly? ReferenceOn, decimal? LvefFallPoints, decimal? GlsRelativeFallPercent, string? Ctrcd);
public sealed record MeasurementsView(IReadOnlyList<TumourBurdenPoint> TumourBurden, IReadOnlyList<SuvPoint> SuvMax)
{
    public IReadOnlyList<EchocardiogramPoint> Echocardiograms { get; init; } = [];
}
/// <param name="Rule">The exposure rule that opened the item (null: the plan's protocol or an MDT decision).</param>
/// <param name="OverriddenBy">The navigator's override whose interval set the due date.</param>
public sealed record ScheduleItem(string Kind, DateOnly DueOn, string Status, DateOnly? CompletedOn, string? Rule = null, Guid? OverriddenBy = null);
/// <summary>An exposure rule the patient's doses triggered: when, at which cumulative doxorubicin-equivalent, and its guideline.</summary>
public sealed record TriggeredRule(string Id, string Title, Contracts.Diagnosis.ExposureTrigger Trigger, DateOnly TriggeredOn, decimal CumulativeMgPerM2, Contracts.Diagnosis.GuidelineSource Source);
public sealed record IntervalOverride(string Kind, int IntervalMonths, DateOnly Since, string Reason, Guid EventId);
public sealed record ScheduleView(string PatientId, DateOnly AsOf, string? Protocol, IReadOnlyList<ScheduleItem> Items)
{
    public IReadOnlyList<TriggeredRule> Rules { get; init; } = [];
    public IReadOnlyList<IntervalOverride> Overrides { get; init; } = [];
}

/// <summary>The record asked for was merged into <paramref name="Survivor"/>, whose page shows both.</summary>
public sealed class MergedRecordException(string survivor) : Exception($"merged into another record")
{
    public string Survivor { get; } = survivor;
}

/// <summary>The dashboard reads only the journey's public API, like any other client, with the signed-in user's token.</summary>
public sealed class JourneyClient(HttpClient http)
{
    /// <summary>Up to 500 open items, and how many there are of each status in all.</summary>
    public async Task<(IReadOnlyList<WorklistRow> Rows, IReadOnlyDictionary<string, int> Counts)> WorklistAsync(DateOnly asOf, string? status, CancellationToken ct)
    {
        using var response = await http.GetAsync($"/worklist?asOf={asOf:yyyy-MM-dd}&limit=500{(status is null ? "" : "&status=" + Uri.EscapeDataString(status))}", ct);
        response.EnsureSuccessStatusCode();
        var rows = await response.Content.ReadFromJsonAsync<List<WorklistRow>>(JsonDefaults.Options, ct) ?? [];
        var counts = (response.Headers.TryGetValues("X-Status-Counts", out var values) ? string.Join(",", values) : "")
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=')).Where(kv => kv.Length == 2 && int.TryParse(kv[1], out _))
            .ToDictionary(kv => kv[0], kv => int.Parse(kv[1], System.Globalization.CultureInfo.InvariantCulture));
        return (rows, counts);
    }

    /// <summary>The journey as of a clinical date (what had happened by then), or null for a patient the journey does not know.</summary>
    public async Task<JourneyView?> JourneyAsync(string patientId, DateOnly? asOf, CancellationToken ct)
    {
        using var response = await http.GetAsync($"/patients/{Uri.EscapeDataString(patientId)}/journey{AsOf(asOf)}", ct);
        if (response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.BadRequest) return null;
        // A record merged into another: its journey is the survivor's (contract: "Merged patients").
        if (response.StatusCode == System.Net.HttpStatusCode.PermanentRedirect
            && response.Headers.Location is { } location
            && new Uri(new Uri("http://journey/"), location).AbsolutePath.Split('/') is ["", "patients", var survivor, "journey"]
            && Uri.UnescapeDataString(survivor) is var id && Contracts.PatientIds.IsValid(id))
            throw new MergedRecordException(id);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JourneyView>(JsonDefaults.Options, ct);
    }

    public async Task<MeasurementsView?> MeasurementsAsync(string patientId, DateOnly? asOf, CancellationToken ct) =>
        await http.GetFromJsonAsync<MeasurementsView>($"/patients/{Uri.EscapeDataString(patientId)}/measurements{AsOf(asOf)}", JsonDefaults.Options, ct);

    private static string AsOf(DateOnly? day) => day is { } d ? $"?asOf={d:yyyy-MM-dd}" : "";

    /// <summary>What the journey held at a moment (auditors): the envelopes recorded by then, and the journey built from them.</summary>
    /// <remarks>The journey is null when nothing about the patient was known yet.</remarks>
    public async Task<(IReadOnlyList<System.Text.Json.Nodes.JsonObject> Events, JourneyView? Journey)> AsKnownAtAsync(string patientId, DateTimeOffset knownAt, CancellationToken ct)
    {
        var at = Uri.EscapeDataString(knownAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        var events = await http.GetFromJsonAsync<List<System.Text.Json.Nodes.JsonObject>>($"/patients/{Uri.EscapeDataString(patientId)}/events?asKnownAt={at}", JsonDefaults.Options, ct) ?? [];
        if (events.Count == 0) return (events, null);
        var journey = await http.GetFromJsonAsync<JourneyView>($"/patients/{Uri.EscapeDataString(patientId)}/journey?asKnownAt={at}", JsonDefaults.Options, ct);
        return (events, journey);
    }

    public async Task<ScheduleView?> ScheduleAsync(string patientId, DateOnly asOf, CancellationToken ct) =>
        await http.GetFromJsonAsync<ScheduleView>($"/patients/{Uri.EscapeDataString(patientId)}/surveillance?asOf={asOf:yyyy-MM-dd}", JsonDefaults.Options, ct);

    /// <summary>The journey's server-sent events for one patient, as a stream to pass on to the browser.</summary>
    public async Task<HttpResponseMessage> ChangesAsync(string patientId, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/patients/{Uri.EscapeDataString(patientId)}/changes");
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        return response;
    }

    /// <summary>One page of patients by id, and how many there are in all.</summary>
    public async Task<(IReadOnlyList<PatientRow> Page, int Total)> PatientsAsync(int offset, int limit, CancellationToken ct)
    {
        using var response = await http.GetAsync($"/patients?offset={offset}&limit={limit}", ct);
        response.EnsureSuccessStatusCode();
        var page = await response.Content.ReadFromJsonAsync<List<PatientRow>>(JsonDefaults.Options, ct) ?? [];
        var total = response.Headers.TryGetValues("X-Total-Count", out var values) && int.TryParse(values.FirstOrDefault(), out var t) ? t : page.Count;
        return (page, total);
    }

    public async Task<bool> IsReadyAsync(CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync("/health/ready", ct);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }
}

/// <summary>The dashboard is ready when the journey answers.</summary>
public sealed class JourneyHealthCheck(JourneyClient journey) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await journey.IsReadyAsync(cancellationToken) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("the journey service is not ready");
}
