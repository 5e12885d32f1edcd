using System.Diagnostics.Metrics;
using PatientJourney.Contracts;
using PatientJourney.Hosting.Telemetry;

namespace PatientJourney.DepartmentKit;

/// <summary>What a department counts of its own work (docs/operations.md, "Telemetry").</summary>
public static class DepartmentMetrics
{
    private static readonly Counter<long> EventsAccepted = PatientJourneyTelemetry.Meter.CreateCounter<long>(
        "patientjourney.department.events.accepted", "{event}", "Clinical events a department committed to its own store.");

    /// <summary>Counted after the commit, by department and event type.</summary>
    public static void Accepted(string department, IEnumerable<IReadOnlyList<ClinicalEvent>> committed)
    {
        if (!EventsAccepted.Enabled) return;
        foreach (var events in committed)
            foreach (var e in events)
                EventsAccepted.Add(1, new(PatientJourneyTelemetry.DepartmentTag, department), new(PatientJourneyTelemetry.EventTypeTag, e.Type));
    }
}
