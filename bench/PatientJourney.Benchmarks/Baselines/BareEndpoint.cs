using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PatientJourney.Benchmarks.Baselines;

/// <summary>The 202 answer of the bare endpoint, shaped like a department's AcceptedEvent.</summary>
public sealed record BareAccepted(Guid EventId, string PatientId, string Type);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BareAccepted))]
internal sealed partial class BareJsonContext : JsonSerializerContext;

/// <summary>
/// HTTP's raw limit for the department's front door: ASP.NET Core minimal API on Kestrel that reads the whole body
/// and answers 202, with no auth, no validation, no store. Runs until <paramref name="ct"/> is cancelled.
/// </summary>
public static class BareEndpoint
{
    public static async Task RunAsync(int port, CancellationToken ct)
    {
        // Empty args and no appsettings: nothing from the environment may add middleware or change the listener.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port);
        });

        var app = builder.Build();
        app.MapPost("/{**path}", async (HttpContext http, string? path) =>
        {
            // Drain the body as the real endpoint must before it can answer (it parses it; the bare one only reads).
            var reader = http.Request.BodyReader;
            while (true)
            {
                var read = await reader.ReadAsync(http.RequestAborted);
                reader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted) break;
            }
            return TypedResults.Json(new BareAccepted(Guid.CreateVersion7(), PatientFrom(path), "Bare"),
                BareJsonContext.Default.BareAccepted, statusCode: StatusCodes.Status202Accepted);
        });

        // Hosting's RunAsync(token): starts, waits for the token, stops gracefully and disposes the app.
        await app.RunAsync(ct);
    }

    /// <summary>The segment after "patients/" in department routes (/patients/{patientId}/...), else "bare".</summary>
    private static string PatientFrom(string? path)
    {
        var span = path.AsSpan();
        const string marker = "patients/";
        var at = span.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return "bare";
        var rest = span[(at + marker.Length)..];
        var end = rest.IndexOf('/');
        return (end < 0 ? rest : rest[..end]).ToString() is { Length: > 0 } id ? id : "bare";
    }
}
