using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Antiforgery;

namespace PatientJourney.Dashboard;

/// <summary>A dashboard page before it is framed: the frame adds the signed-in user's sign-out form when it is sent.</summary>
public sealed record HtmlPage(string Title, string Body, string Script);

/// <summary>The page frame every dashboard page shares: navigation, styles, landmarks for screen readers.</summary>
public static class Html
{
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string PatientLink(string patientId) => $"<a href=\"/patients/{Uri.EscapeDataString(patientId)}\">{Encode(patientId)}</a>";

    public static string Date(DateOnly day) => $"<time datetime=\"{day:yyyy-MM-dd}\">{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}</time>";

    public static IResult Content(HtmlPage page, int status = StatusCodes.Status200OK) => new FramedPage(page, status);

    /// <summary>A whole document that is not framed (the sign-in page), with the same headers.</summary>
    public static IResult Document(string html, int status = StatusCodes.Status200OK) => Results.Content(html, "text/html; charset=utf-8", statusCode: status);

    /// <summary>The page's own script, as a file of this site (the Content-Security-Policy allows no inline script).</summary>
    public static string Script(string path, string dataName, string dataValue) =>
        $"<script src=\"{Encode(path)}\" data-{dataName}=\"{Encode(dataValue)}\"></script>";

    public static HtmlPage Page(string title, string body, string script = "") => new(title, body, script);

    /// <summary>The hidden input carrying the anti-forgery token: a form posted from another site lacks it and is refused.</summary>
    public static string AntiforgeryField(AntiforgeryTokenSet tokens) =>
        $"<input type=\"hidden\" name=\"{Encode(tokens.FormFieldName)}\" value=\"{Encode(tokens.RequestToken)}\">";

    private static string SignOutForm(HttpContext http) =>
        http.User.Identity is { IsAuthenticated: true } identity
            ? $"""<form class="signout" method="post" action="/signout">{AntiforgeryField(http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http))}<span>{Encode(identity.Name)}</span><button type="submit">Sign out</button></form>"""
            : "";

    private static string Render(HtmlPage page, string signOut) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>{{Encode(page.Title)}} · PatientJourney</title>
          <link rel="stylesheet" href="{{Assets.StylesheetPath}}">
        </head>
        <body>
          <header><strong>PatientJourney</strong><nav aria-label="Main"><a href="/">Worklist</a> · <a href="/patients">Patients</a></nav>{{signOut}}</header>
          <main id="main">{{page.Body}}</main>
          {{page.Script}}
        </body>
        </html>
        """;

    private sealed class FramedPage(HtmlPage page, int status) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            var html = Render(page, SignOutForm(http)); // before the response starts: the anti-forgery cookie may be set
            http.Response.StatusCode = status;
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync(html, http.RequestAborted);
        }
    }
}
