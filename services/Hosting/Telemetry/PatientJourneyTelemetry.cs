using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PatientJourney.Hosting.Telemetry;

/// <summary>
/// The project's own spans and instruments. Tags name a department, an event type, a status, a count: never a patient
/// (no patient id, no path holding one, no clinical value).
/// </summary>
public static class PatientJourneyTelemetry
{
    public const string Name = "PatientJourney";
    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    /// <summary>Tag names, in OpenTelemetry's style.</summary>
    public const string DepartmentTag = "patientjourney.department", EventTypeTag = "patientjourney.event.type", StatusTag = "patientjourney.worklist.status";

    /// <summary>
    /// A span for work done on behalf of several callers at once (a group commit, a batch message): the first caller's
    /// span is its parent, the others are linked, so every caller's trace leads to it. Null when nobody listens.
    /// </summary>
    public static Activity? StartBatch(string name, ActivityKind kind, IEnumerable<ActivityContext> callers)
    {
        if (!Source.HasListeners()) return null;
        ActivityContext parent = default;
        var linked = new HashSet<ActivityContext>();
        foreach (var caller in callers)
        {
            if (caller == default) continue;
            if (parent == default) parent = caller;
            else if (caller != parent) linked.Add(caller);
        }
        // Without a caller in a trace it is a root: the writer's thread has no current activity (GroupCommit clears it).
        return Source.StartActivity(name, kind, parent, links: linked.Select(c => new ActivityLink(c)));
    }
}
