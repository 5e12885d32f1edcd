using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using PatientJourney.Hosting.Telemetry;

namespace PatientJourney.UnitTests.Hosting;

/// <summary>The telemetry pipeline is configured by the standard OTEL_* variables only, and absent without them.</summary>
public class TelemetrySetupTests
{
    [Fact]
    public async Task Without_an_OTLP_endpoint_no_provider_is_built_and_nothing_listens()
    {
        // Empty, as where the variable is not set (and whatever the environment running the tests says).
        await using var app = await StartAsync(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "" });

        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.Null(app.Services.GetService<MeterProvider>());
        Assert.False(PatientJourneyTelemetry.Source.HasListeners());
    }

    [Fact]
    public async Task With_an_OTLP_endpoint_spans_go_there_under_the_services_name_and_instance()
    {
        using var receiver = new HttpListener();
        var port = FreePort();
        receiver.Prefixes.Add($"http://127.0.0.1:{port}/");
        receiver.Start();
        var received = receiver.GetContextAsync();

        await using (var app = await StartAsync(new Dictionary<string, string?>
                     {
                         ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}", ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                         ["OTEL_SERVICE_NAME"] = "journey-test", ["Instance:Name"] = "node-2",
                     }))
        {
            var tracing = app.Services.GetRequiredService<TracerProvider>();
            var resource = tracing.GetResource().Attributes.ToDictionary(a => a.Key, a => a.Value);
            Assert.Equal("journey-test", resource["service.name"]);
            Assert.Equal("node-2", resource["service.instance.id"]);
            Assert.NotNull(app.Services.GetService<MeterProvider>());

            PatientJourneyTelemetry.Source.StartActivity("test span", ActivityKind.Internal)!.Dispose();
            Assert.True(tracing.ForceFlush(10_000));
        }

        var request = (await received.WaitAsync(TimeSpan.FromSeconds(10))).Request;
        Assert.Equal("/v1/traces", request.Url!.AbsolutePath);
        Assert.Equal("application/x-protobuf", request.ContentType);
    }

    private static async Task<WebApplication> StartAsync(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddPatientJourneyTelemetry();
        var app = builder.Build();
        await app.StartAsync(); // as a host: its hosted services hold, then release, the process's pipeline
        return app;
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
