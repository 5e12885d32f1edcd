using System.Globalization;
using System.Text;

namespace PatientJourney.Dashboard;

/// <summary>A point of a line chart; its label (a RECIST category, say) is written beside it.</summary>
/// <summary>A point; a resolved one (a lesion whose uptake is back to background) is drawn hollow.</summary>
public sealed record ChartPoint(DateOnly On, decimal Value, string? Label = null, bool Resolved = false);

public sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points);

/// <summary>
/// Charts drawn as SVG on the server: no script, no vendored library, readable by a screen reader through the
/// chart's title and the table that follows each chart on the page.
/// </summary>
public static class Charts
{
    private static readonly string[] Colours = ["#0b6e99", "#a05a00", "#6a3d9a", "#1b7e3c", "#b0204a", "#555555"];
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Line(string id, string title, string unit, IReadOnlyList<ChartSeries> series, params decimal[] referenceLines)
    {
        const int width = 640, height = 240, left = 48, right = 90, top = 12, bottom = 28;
        var points = series.SelectMany(s => s.Points).ToList();
        if (points.Count == 0) return $"<p id=\"{id}\">No measurements yet.</p>";
        var first = points.Min(p => p.On).DayNumber;
        var last = Math.Max(first + 1, points.Max(p => p.On).DayNumber);
        var max = Math.Max(points.Max(p => p.Value), referenceLines.DefaultIfEmpty(0).Max()) * 1.1m;
        if (max <= 0) max = 1;
        string X(DateOnly on) => (left + (double)(on.DayNumber - first) / (last - first) * (width - left - right)).ToString("0.#", Invariant);
        string Y(decimal value) => (top + (double)(1 - value / max) * (height - top - bottom)).ToString("0.#", Invariant);

        var svg = new StringBuilder($"<svg id=\"{id}\" role=\"img\" aria-labelledby=\"{id}-title\" class=\"chart\" width=\"100%\" viewBox=\"0 0 {width} {height}\">");
        svg.Append($"<title id=\"{id}-title\">{Html.Encode(title)}</title>");
        svg.Append($"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width - right}\" y2=\"{height - bottom}\" stroke=\"#888\"/>");
        svg.Append($"<text x=\"0\" y=\"{top + 10}\" font-size=\"11\">{max / 1.1m:0.#} {Html.Encode(unit)}</text>");
        svg.Append($"<text x=\"{left}\" y=\"{height - 8}\" font-size=\"11\">{DateOnly.FromDayNumber(first):yyyy-MM-dd}</text>");
        svg.Append($"<text x=\"{width - right}\" y=\"{height - 8}\" font-size=\"11\" text-anchor=\"end\">{DateOnly.FromDayNumber(last):yyyy-MM-dd}</text>");
        foreach (var line in referenceLines)
            svg.Append($"<line x1=\"{left}\" x2=\"{width - right}\" y1=\"{Y(line)}\" y2=\"{Y(line)}\" stroke=\"#a00\" stroke-dasharray=\"4 3\"/>")
                .Append($"<text x=\"{width - right + 4}\" y=\"{Y(line)}\" font-size=\"11\">{line:0} {Html.Encode(unit)}</text>");
        for (var i = 0; i < series.Count; i++)
        {
            var colour = Colours[i % Colours.Length];
            var ordered = series[i].Points.OrderBy(p => p.On).ToList();
            svg.Append($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(' ', ordered.Select(p => $"{X(p.On)},{Y(p.Value)}"))}\"/>");
            foreach (var p in ordered)
            {
                svg.Append($"<circle cx=\"{X(p.On)}\" cy=\"{Y(p.Value)}\" r=\"3.5\" {(p.Resolved ? $"fill=\"#fff\" stroke=\"{colour}\" stroke-width=\"2\" data-resolved=\"true\"" : $"fill=\"{colour}\"")}><title>{Html.Encode(series[i].Name)} {p.On:yyyy-MM-dd}: {p.Value:0.#} {Html.Encode(unit)}{(p.Label is null ? "" : " " + Html.Encode(p.Label))}</title></circle>");
                if (p.Label is not null) svg.Append($"<text x=\"{X(p.On)}\" y=\"{Y(p.Value)}\" dy=\"-7\" font-size=\"11\" text-anchor=\"middle\" data-point-label=\"{Html.Encode(p.Label)}\">{Html.Encode(p.Label)}</text>");
            }
            if (series.Count > 1 && ordered.Count > 0)
                svg.Append($"<text x=\"{width - right + 4}\" y=\"{Y(ordered[^1].Value)}\" font-size=\"11\" fill=\"{colour}\">{Html.Encode(series[i].Name)}</text>");
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>One row per lane (department), every event a mark at its clinical date on one shared time axis.</summary>
    public static string Timeline(string id, string title, IReadOnlyList<(string Lane, IReadOnlyList<(DateOnly On, string Label)> Marks)> lanes)
    {
        const int width = 1000, left = 110, right = 20, laneHeight = 34, top = 6;
        var marks = lanes.SelectMany(l => l.Marks).ToList();
        if (marks.Count == 0) return "";
        var first = marks.Min(m => m.On).DayNumber;
        var last = Math.Max(first + 1, marks.Max(m => m.On).DayNumber);
        var height = top + lanes.Count * laneHeight + 22;
        string X(DateOnly on) => (left + (double)(on.DayNumber - first) / (last - first) * (width - left - right)).ToString("0.#", Invariant);
        var svg = new StringBuilder($"<svg id=\"{id}\" role=\"img\" aria-labelledby=\"{id}-title\" width=\"100%\" viewBox=\"0 0 {width} {height}\">");
        svg.Append($"<title id=\"{id}-title\">{Html.Encode(title)}</title>");
        for (var i = 0; i < lanes.Count; i++)
        {
            var y = top + i * laneHeight;
            var colour = Colours[i % Colours.Length];
            svg.Append($"<g data-timeline-lane=\"{Html.Encode(lanes[i].Lane)}\"><rect x=\"0\" y=\"{y}\" width=\"{width}\" height=\"{laneHeight - 4}\" fill=\"{(i % 2 == 0 ? "#f4f7f9" : "#fff")}\"/>")
                .Append($"<text x=\"4\" y=\"{y + 20}\" font-size=\"13\">{Html.Encode(lanes[i].Lane)}</text>");
            foreach (var (on, label) in lanes[i].Marks)
                svg.Append($"<circle cx=\"{X(on)}\" cy=\"{y + 15}\" r=\"5\" fill=\"{colour}\" fill-opacity=\"0.8\"><title>{on:yyyy-MM-dd} {Html.Encode(label)}</title></circle>");
            svg.Append("</g>");
        }
        svg.Append($"<text x=\"{left}\" y=\"{height - 6}\" font-size=\"11\">{DateOnly.FromDayNumber(first):yyyy-MM-dd}</text>")
            .Append($"<text x=\"{width - right}\" y=\"{height - 6}\" font-size=\"11\" text-anchor=\"end\">{DateOnly.FromDayNumber(last):yyyy-MM-dd}</text>");
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Horizontal bars against reference lines (cumulative doxorubicin against 450 and 550 mg/m2).</summary>
    /// <param name="bars">A bar without a value is drawn as "not computable", never as 0.</param>
    public static string Bars(string id, string title, string unit, IReadOnlyList<(string Label, decimal? Value)> bars, params decimal[] referenceLines)
    {
        const int width = 640, left = 110, barHeight = 22;
        var height = bars.Count * (barHeight + 8) + 30;
        var scaleMax = Math.Max(referenceLines.DefaultIfEmpty(0).Max() * 1.1m, bars.Max(b => b.Value ?? 0m) * 1.1m);
        if (scaleMax <= 0) scaleMax = 1;
        string X(decimal v) => (left + (double)(v / scaleMax) * (width - left - 10)).ToString("0.#", Invariant);
        var svg = new StringBuilder($"<svg id=\"{id}\" role=\"img\" aria-labelledby=\"{id}-title\" class=\"chart\" width=\"100%\" viewBox=\"0 0 {width} {height}\">");
        svg.Append($"<title id=\"{id}-title\">{Html.Encode(title)}</title>");
        for (var i = 0; i < bars.Count; i++)
        {
            var y = 8 + i * (barHeight + 8);
            svg.Append($"<text x=\"0\" y=\"{y + 16}\" font-size=\"13\">{Html.Encode(bars[i].Label)}</text>");
            if (bars[i].Value is not { } value)
            {
                svg.Append($"<text x=\"{left}\" dx=\"4\" y=\"{y + 16}\" font-size=\"12\">not computable</text>");
                continue;
            }
            var over = referenceLines.Length > 0 && value >= referenceLines.Min();
            svg.Append($"<rect x=\"{left}\" y=\"{y}\" width=\"{(double)(value / scaleMax) * (width - left - 10):0.#}\" height=\"{barHeight}\" fill=\"{(over ? "#a00" : "#0b6e99")}\"/>")
                .Append($"<text x=\"{X(value)}\" dx=\"4\" y=\"{y + 16}\" font-size=\"12\">{value:0} {Html.Encode(unit)}</text>");
        }
        foreach (var line in referenceLines)
            svg.Append($"<line x1=\"{X(line)}\" x2=\"{X(line)}\" y1=\"0\" y2=\"{height - 22}\" stroke=\"#a00\" stroke-dasharray=\"4 3\"/>")
                .Append($"<text x=\"{X(line)}\" y=\"{height - 6}\" font-size=\"12\" text-anchor=\"middle\">{line:0}</text>");
        return svg.Append("</svg>").ToString();
    }
}
