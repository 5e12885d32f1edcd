using System.Globalization;
using System.Net;

namespace PatientJourney.Dashboard;

/// <summary>The page frame every dashboard page shares: navigation, styles, landmarks for screen readers.</summary>
public static class Html
{
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string PatientLink(string patientId) => $"<a href=\"/patients/{Uri.EscapeDataString(patientId)}\">{Encode(patientId)}</a>";

    public static string Date(DateOnly day) => $"<time datetime=\"{day:yyyy-MM-dd}\">{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}</time>";

    public static IResult Content(string html, int status = StatusCodes.Status200OK) => Results.Content(html, "text/html; charset=utf-8", statusCode: status);

    public static string Page(string title, string body, string script = "") => $$"""
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>{{Encode(title)}} · PatientJourney</title>
          <style>
            body { font-family: system-ui, sans-serif; margin: 0; color: #1b1b1b; }
            header { display: flex; gap: 2rem; align-items: baseline; padding: .8rem 1.5rem; background: #0b3d5c; color: #fff; }
            header a { color: #fff; }
            main { padding: 1rem 1.5rem; max-width: 80rem; }
            table { border-collapse: collapse; width: 100%; }
            th, td { text-align: left; padding: .35rem .7rem; border-bottom: 1px solid #ddd; vertical-align: top; }
            caption { text-align: left; font-weight: 600; padding-bottom: .5rem; }
            .overdue { color: #a00; font-weight: 700; }
            .due { color: #8a5a00; font-weight: 700; }
            .suspended { color: #555; font-style: italic; }
            .alert { border-left: 4px solid #a00; background: #fdecea; padding: .5rem .8rem; margin: .3rem 0; }
            .warning { border-left-color: #8a5a00; background: #fff4e0; }
            .lanes { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: .8rem; }
            .lanes section { border: 1px solid #ccc; border-radius: 4px; padding: .4rem .6rem; }
            .lanes ol { padding-left: 1.1rem; margin: .3rem 0; }
            .counts { display: flex; gap: 1rem; list-style: none; padding: 0; }
            form.filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: end; margin: .5rem 0 1rem; }
            :focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
            code { word-break: break-all; font-size: .85em; }
            @media (max-width: 900px) { .lanes { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
          </style>
        </head>
        <body>
          <header><strong>PatientJourney</strong><nav aria-label="Main"><a href="/">Worklist</a> · <a href="/patients">Patients</a></nav></header>
          <main id="main">{{body}}</main>
          {{script}}
        </body>
        </html>
        """;
}
