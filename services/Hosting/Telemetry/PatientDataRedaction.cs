using System.Diagnostics;
using OpenTelemetry;

namespace PatientJourney.Hosting.Telemetry;

/// <summary>
/// Takes out of every span what can carry patient data before any exporter sees it: a request's path and query (the
/// path holds the patient id; ASP.NET Core's span keeps its route template in its name and http.route) and a client
/// call's full URL (kept as its origin). A status description is dropped too: PostgreSQL's error text can quote a
/// value. One processor for every source, so an instrumentation that adds such a tag later is covered as well.
/// </summary>
public sealed class PatientDataRedaction : BaseProcessor<Activity>
{
    private static readonly string[] Dropped = ["url.path", "url.query", "http.target", "http.url", "http.request.header.idempotency-key"];

    public override void OnEnd(Activity activity)
    {
        foreach (var tag in Dropped)
            if (activity.GetTagItem(tag) is not null) activity.SetTag(tag, null);
        if (activity.GetTagItem("url.full") is string full && Uri.TryCreate(full, UriKind.Absolute, out var url))
            activity.SetTag("url.full", url.GetLeftPart(UriPartial.Authority));
        if (activity.StatusDescription is not null) activity.SetStatus(activity.Status);
    }
}
