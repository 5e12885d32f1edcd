using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.DepartmentKit;

namespace PatientJourney.Diagnosis.Navigation;

/// <summary>
/// What the diagnosis department knows of a patient's surveillance from its own facts: the active plan, the death, and
/// the kinds with an open item as the contract defines them for navigation (Navigation.cs): those the active plan's
/// protocol or an MDT decision schedules, and echocardiograms (opened by exposures only the journey computes: it applies a
/// navigation fact to an open item if there is one), none after death. In clinical order, so late facts count as if on time.
/// </summary>
public sealed record SurveillanceState(SurveillancePlanStarted? ActivePlan, PatientDied? Death, IReadOnlySet<string> OpenKinds)
{
    public static SurveillanceState Of(IReadOnlyList<ClinicalEvent> history)
    {
        if (history.OfType<PatientDied>().FirstOrDefault() is { } death) return new SurveillanceState(null, death, new HashSet<string>());
        // An end closes what began before it: dated earlier, or the same day and recorded earlier (a plan may start the
        // day the last one ended).
        var ends = history.Select((e, at) => (Fact: e, At: at)).Where(e => e.Fact is SurveillancePlanEnded).ToList();
        bool Ended(int at) => ends.Any(end => end.Fact.OccurredOn > history[at].OccurredOn || (end.Fact.OccurredOn == history[at].OccurredOn && end.At > at));

        // The last plan by its start (a stable sort: on a tie the later recorded).
        var plan = history.Select((e, at) => (Fact: e as SurveillancePlanStarted, At: at)).Where(p => p.Fact is not null).OrderBy(p => p.Fact!.StartsOn).LastOrDefault();
        var active = plan.Fact is not null && !Ended(plan.At) ? plan.Fact : null;

        var kinds = new HashSet<string>(StringComparer.Ordinal) { SurveillanceItemKinds.Echocardiogram };
        if (active is not null && SurveillanceProtocols.ById.TryGetValue(active.Protocol, out var planned)) kinds.UnionWith(planned.Kinds);
        for (var at = 0; at < history.Count; at++)
            if (history[at] is MultidisciplinaryDecisionRecorded decision && !Ended(at))
                kinds.UnionWith(decision.PlannedProcedures.Select(p => SurveillanceItemKinds.Of(p.Procedure)));
        return new SurveillanceState(active, null, kinds);
    }

    /// <summary>The fact a booking or a deferral records, or 409 naming the kind when it has no open item.</summary>
    public static Decision ForOpenItem(CommandContext context, string kind, Func<ClinicalEvent> record) =>
        Of(context.History).WhyNoOpenItem(kind) is { } why ? Decision.Conflict("kind", why) : record();

    /// <summary>Null when the kind has an open item; else why not, for the 409.</summary>
    public string? WhyNoOpenItem(string kind) =>
        OpenKinds.Contains(kind) ? null
        : Death is not null ? $"the patient died on {Death.DiedOn:yyyy-MM-dd}: no item is open"
        : $"no open {kind} item: neither an active surveillance plan nor an MDT decision schedules one";
}
