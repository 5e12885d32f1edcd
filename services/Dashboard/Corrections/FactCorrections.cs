using System.Net;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Antiforgery;
using PatientJourney.Dashboard.Navigation;
using PatientJourney.Dashboard.Patients;
using PatientJourney.Hosting.Security;

namespace PatientJourney.Dashboard.Corrections;

/// <summary>
/// A department user's corrections of her department's facts, on the patient page: "Retract" (a reason) and "Amend" (a
/// reason and the fact's command body, corrected, as JSON). Posted to this dashboard with its anti-forgery token and
/// forwarded, as the navigator's actions are, to the department's `/patients/{id}/events/{eventId}/retract|amend` with
/// the signed-in user's own token; the department decides (its own facts only, its rules), the journey then shows the
/// fact struck through.
/// </summary>
public static class FactCorrections
{
    public const string Policy = "correct-facts-from-the-dashboard";

    public static readonly NavigationAction Retract = new("retract", "Retract", "retract", false, null, new ActionField("reason", "Reason"));

    public static readonly NavigationAction Amend = new("amend", "Amend", "amend", false, null, new ActionField("reason", "Reason"),
        new ActionField("body", "Corrected fact (JSON)", "textarea",
            Hint: "The body of the command that recorded this fact (as first posted to the department), with the corrections made."));

    /// <summary>Only the department that recorded a fact corrects it: its own role, and that department's facts only.</summary>
    public static bool MayCorrect(ClaimsPrincipal user, string department) =>
        DepartmentClients.Departments.Contains(department) && user.IsInRole(Roles.Department(department));

    public static bool MayCorrectAny(ClaimsPrincipal user) => DepartmentClients.Departments.Any(d => MayCorrect(user, d));

    public static void AddPolicy(Microsoft.AspNetCore.Authorization.AuthorizationOptions o) =>
        o.AddPolicy(Policy, p => p.RequireAssertion(c => MayCorrectAny(c.User)));

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/patients/{patientId}/corrections/{department}/{eventId:guid}/{correction}", CorrectAsync).RequireAuthorization(Policy).ExcludeFromDescription();

    private static string Url(string patientId, string department, Guid eventId, NavigationAction correction) =>
        $"/patients/{Uri.EscapeDataString(patientId)}/corrections/{department}/{eventId}/{correction.Name}";

    /// <summary>The correction forms of one standing entry, for a user of the department that recorded it (else nothing).</summary>
    public static string Forms(ClaimsPrincipal user, EntryRow entry, string patientId, AntiforgeryTokenSet tokens, string returnUrl)
    {
        if (entry.Assesses is not null || entry.Retracted || entry.AmendedBy is not null || !MayCorrect(user, entry.Department)) return "";
        var id = entry.EventId.ToString("N");
        return $"<details class=\"correct\" data-actions id=\"correct-{id}\"><summary>Correct this fact (retract or amend)</summary>" +
               NavigationActions.Form(Retract, patientId, null, $"retract-{id}", tokens, returnUrl, url: Url(patientId, entry.Department, entry.EventId, Retract)) +
               NavigationActions.Form(Amend, patientId, null, $"amend-{id}", tokens, returnUrl, url: Url(patientId, entry.Department, entry.EventId, Amend)) +
               "<p role=\"status\" data-recorded></p></details>";
    }

    private static async Task<IResult> CorrectAsync(string patientId, string department, Guid eventId, string correction, HttpContext http, IAntiforgery antiforgery,
        DepartmentClients departments, CancellationToken ct)
    {
        var spec = correction == Retract.Name ? Retract : correction == Amend.Name ? Amend : null;
        if (spec is null || !DepartmentClients.Departments.Contains(department)) return Results.NotFound();
        if (!MayCorrect(http.User, department)) return Results.Forbid(); // another department's fact: no form, and no forwarding
        return await NavigationActions.AnswerAsync(http, antiforgery, spec, patientId, spec.Fields.Select(f => f.Name), Url(patientId, department, eventId, spec), values =>
        {
            var body = new JsonObject();
            if (values.TryGetValue("reason", out var reason)) body["reason"] = reason; // left out when empty: the department names it
            if (values.TryGetValue("body", out var text))
            {
                JsonNode? corrected;
                try
                {
                    corrected = JsonNode.Parse(text);
                }
                catch (JsonException)
                {
                    corrected = null;
                }
                if (corrected is not JsonObject) // the department would refuse it too; said here, beside the field
                    return Task.FromResult(DepartmentAnswer.Refused(HttpStatusCode.BadRequest, "body", "is not a JSON object: write the command's body as { \"field\": value, ... }"));
                body["body"] = corrected;
            }
            return departments.PostAsync(department, $"/patients/{Uri.EscapeDataString(patientId)}/events/{eventId}/{spec.Route}", body, ct);
        }, ct);
    }
}
