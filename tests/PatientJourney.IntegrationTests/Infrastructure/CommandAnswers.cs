using System.Net;
using System.Text.Json.Nodes;

namespace PatientJourney.IntegrationTests.Infrastructure;

/// <summary>What a department's command answers: 202 with the recorded event, or a problem document naming the field.</summary>
public static class CommandAnswers
{
    public static async Task<JsonObject> Accepted(Task<HttpResponseMessage> post)
    {
        using var response = await post;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        return JsonNode.Parse(body)!.AsObject();
    }

    public static async Task Refused(Task<HttpResponseMessage> post, HttpStatusCode status, string field)
    {
        using var response = await post;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonNode.Parse(body)!["errors"]!.AsObject().ContainsKey(field), body);
    }
}
