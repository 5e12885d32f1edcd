using System.Text;

namespace PatientJourney.Dashboard.Patients;

/// <summary>
/// The patient's surveillance items as the journey computes them, each with the exposure rule that opened it (none: the
/// plan's protocol or an MDT decision) and the navigator's override that set its due date; and the overrides in force.
/// </summary>
public static class SurveillanceSchedule
{
    public static string Table(string caption, IEnumerable<ScheduleItem> items, ScheduleView schedule)
    {
        var overrides = schedule.Overrides.ToDictionary(o => o.EventId);
        var html = new StringBuilder($"<table><caption>{Html.Encode(caption)}</caption><thead><tr><th scope=\"col\">Due</th><th scope=\"col\">Kind</th>")
            .Append("<th scope=\"col\">Status</th><th scope=\"col\">Done on</th><th scope=\"col\">Rule</th><th scope=\"col\">Interval</th></tr></thead><tbody>");
        foreach (var item in items)
            html.Append($"<tr data-kind=\"{Html.Encode(item.Kind)}\"><td>{Html.Date(item.DueOn)}</td><td>{Html.Encode(item.Kind)}</td><td class=\"{Html.Encode(item.Status)}\">{Html.Encode(item.Status)}</td>")
                .Append($"<td>{(item.CompletedOn is { } done ? Html.Date(done) : "")}</td>")
                // The rule is described, with its guideline, in the cardiac lane (CardiacLane).
                .Append($"<td>{(item.Rule is { } rule ? $"<a class=\"badge\" href=\"#rule-{Html.Encode(rule)}\" data-rule=\"{Html.Encode(rule)}\">{Html.Encode(rule)}</a>" : "")}</td>")
                .Append($"<td>{(item.OverriddenBy is { } by ? $"<span class=\"badge\" data-overridden-by=\"{by}\">{Html.Encode(overrides.TryGetValue(by, out var o) ? $"overridden: every {o.IntervalMonths} months" : "overridden")}</span>" : "")}</td></tr>");
        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>The patient's own intervals, one a kind (the latest), with the clinician's reason.</summary>
    public static string Overrides(ScheduleView schedule) =>
        schedule.Overrides.Count == 0 ? ""
            : "<h3 id=\"overrides\">Intervals overridden for this patient</h3><ul aria-labelledby=\"overrides\" data-overrides>" +
              string.Concat(schedule.Overrides.Select(o => $"<li data-override=\"{Html.Encode(o.Kind)}\">{Html.Encode(o.Kind)} every {o.IntervalMonths} months since {Html.Date(o.Since)}: {Html.Encode(o.Reason)}</li>")) +
              "</ul>";
}
