using System.Globalization;
using System.Text;
using PatientJourney.Contracts.Diagnosis;

namespace PatientJourney.Dashboard.Patients;

/// <summary>
/// Cardiac surveillance: the exposure rules the patient's anthracyclines triggered, each with its guideline, the
/// echocardiograms they opened, and the LVEF of every echocardiogram with its CTRCD grade against the first.
/// </summary>
public static class CardiacLane
{
    // 2022 ESC cardio-oncology guideline, table 3: LVEF normal from 50 %, severe dysfunction below 40 %.
    private const decimal NormalLvefFromPercent = 50m, SevereBelowLvefPercent = 40m;

    /// <summary>Empty for a patient with no echocardiogram item, triggered rule or echocardiogram.</summary>
    public static string Render(ScheduleView? schedule, MeasurementsView? measurements)
    {
        var items = schedule?.Items.Where(i => i.Kind == SurveillanceItemKinds.Echocardiogram).ToList() ?? [];
        var rules = schedule?.Rules ?? [];
        var echoes = measurements?.Echocardiograms ?? [];
        if (items.Count == 0 && rules.Count == 0 && echoes.Count == 0) return "";

        var html = new StringBuilder("<section aria-labelledby=\"cardiac\" id=\"cardiac-surveillance\"><h2 id=\"cardiac\">Cardiac surveillance</h2>");
        if (rules.Count > 0)
        {
            html.Append("<h3 id=\"cardiac-rules\">Triggered by the anthracyclines given</h3><ul class=\"rules\" aria-labelledby=\"cardiac-rules\">");
            foreach (var rule in rules)
                html.Append($"<li id=\"rule-{Html.Encode(rule.Id)}\" data-triggered-rule=\"{Html.Encode(rule.Id)}\"><strong>{Html.Encode(rule.Title)}</strong> <span class=\"badge\">{Html.Encode(rule.Id)}</span><br>")
                    .Append($"Triggered on {Html.Date(rule.TriggeredOn)} at {rule.CumulativeMgPerM2.ToString("0.#", CultureInfo.InvariantCulture)} mg/m2 cumulative doxorubicin-equivalent<br>")
                    .Append($"<span data-source><cite>{Html.Encode(rule.Source.Citation)}</cite>. {Html.Encode(rule.Source.Section)}. Evidence: {Html.Encode(rule.Source.Evidence)}</span></li>");
            html.Append("</ul>");
        }
        if (items.Count > 0 && schedule is not null)
            html.Append(SurveillanceSchedule.Table("Echocardiograms these rules opened", items, schedule));

        html.Append("<h3>LVEF</h3>").Append(Charts.Line("lvef",
            "LVEF per echocardiogram against 50 % (normal from) and 40 % (severe below), each labelled with its CTRCD grade against the first (the reference)", "%",
            [new ChartSeries("LVEF", echoes.Select(e => new ChartPoint(e.PerformedOn, e.LvefPercent, Grade(e))).ToList())],
            NormalLvefFromPercent, SevereBelowLvefPercent));
        if (echoes.Count > 0)
        {
            html.Append("<table id=\"lvef-table\"><caption>Echocardiograms, each read against the first</caption><thead><tr><th scope=\"col\">Performed on</th><th scope=\"col\">LVEF %</th>")
                .Append("<th scope=\"col\">GLS %</th><th scope=\"col\">LVEF fall (points)</th><th scope=\"col\">GLS relative fall %</th><th scope=\"col\">CTRCD</th></tr></thead><tbody>");
            foreach (var e in echoes)
                html.Append($"<tr data-echocardiogram=\"{e.EventId}\"><td>{Html.Date(e.PerformedOn)}</td><td>{Number(e.LvefPercent)}</td><td>{Number(e.GlobalLongitudinalStrainPercent)}</td>")
                    .Append($"<td>{Number(e.LvefFallPoints)}</td><td>{Number(e.GlsRelativeFallPercent)}</td><td data-ctrcd=\"{Html.Encode(e.Ctrcd)}\">{Html.Encode(Grade(e))}</td></tr>");
            html.Append("</tbody></table>");
        }
        return html.Append("</section>").ToString();
    }

    // The first echocardiogram is the reference and is never graded.
    private static string Grade(EchocardiogramPoint e) => e.ReferenceOn is null ? "reference" : e.Ctrcd is { } grade ? $"CTRCD {grade}" : "no CTRCD";

    private static string Number(decimal? value) => value?.ToString("0.#", CultureInfo.InvariantCulture) ?? "";
}
