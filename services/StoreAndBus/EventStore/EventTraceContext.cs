using System.Diagnostics;
using System.Text.Json;
using JasperFx.Events;

namespace PatientJourney.StoreAndBus.EventStore;

/// <summary>
/// The W3C trace context an event is stored with, in its row's headers (Marten's event metadata): operational, not
/// clinical. It is no part of the event's JSON, its hash-chain link or the contract; it lets the outbox's publish,
/// at another moment and maybe in another instance, continue the trace of the request that recorded the event.
/// </summary>
public static class EventTraceContext
{
    private const string TraceParent = "traceparent", TraceState = "tracestate";

    /// <summary>The headers column's JSON for a span's context; null when there is none.</summary>
    public static string? Headers(ActivityContext context)
    {
        if (context == default) return null;
        var parent = $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{(context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? "01" : "00")}";
        return JsonSerializer.Serialize(string.IsNullOrEmpty(context.TraceState)
            ? new Dictionary<string, string> { [TraceParent] = parent }
            : new Dictionary<string, string> { [TraceParent] = parent, [TraceState] = context.TraceState });
    }

    /// <summary>The context a stored event was recorded under (remote: it comes from another moment), else default.</summary>
    public static ActivityContext Of(IEvent stored) =>
        stored.Headers is { } headers && headers.TryGetValue(TraceParent, out var parent) && parent?.ToString() is { } traceParent
        && ActivityContext.TryParse(traceParent, headers.TryGetValue(TraceState, out var state) ? state?.ToString() : null, isRemote: true, out var context)
            ? context
            : default;
}
