using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PatientJourney.Hosting.Security;

namespace PatientJourney.Hosting.Http;

/// <summary>
/// What no caller may exceed, whoever it is: the size of a request body and the rate of requests. Every
/// clinical request is a few hundred bytes, a department's batch (<see cref="BatchRoute"/>) at most a thousand of those;
/// the limits are configuration (Limits:*, RateLimit:*).
/// </summary>
public sealed record EdgeLimits(long MaxRequestBodyBytes, int PermitsPerSecond, int Burst, long MaxBatchBodyBytes)
{
    public static EdgeLimits From(IConfiguration configuration) => new(
        configuration.GetValue<long?>("Limits:MaxRequestBodyBytes") ?? 64 * 1024,
        configuration.GetValue<int?>("RateLimit:PermitsPerSecond") ?? 200,
        configuration.GetValue<int?>("RateLimit:Burst") ?? 400,
        configuration.GetValue<long?>("Limits:MaxBatchBodyBytes") ?? 4 * 1024 * 1024);

    /// <summary>A department's route for many commands in one request (the department kit's DepartmentBatch).</summary>
    public const string BatchRoute = "/batch";

    /// <summary>The body limit of a request: a department's batch has its own.</summary>
    public long MaxBodyBytesOf(HttpRequest request) =>
        request.Path.Equals(BatchRoute, StringComparison.OrdinalIgnoreCase) ? MaxBatchBodyBytes : MaxRequestBodyBytes;

    public static IServiceCollection AddEdgeLimits(IServiceCollection services, EdgeLimits limits)
    {
        services.AddSingleton(limits);
        services.AddRateLimiter(o =>
        {
            // Per caller: the token's subject, else (before sign-in) the remote address. Health probes are never limited.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.Request.Path.StartsWithSegments("/health")
                    ? RateLimitPartition.GetNoLimiter("health")
                    : RateLimitPartition.GetTokenBucketLimiter(CallerOf(http), _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = limits.Burst,
                        TokensPerPeriod = limits.PermitsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                    detail: $"at most {limits.PermitsPerSecond} requests per second per caller").ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    private static string CallerOf(HttpContext http) =>
        http.User.FindFirstValue(DevelopmentTokens.SubjectClaim) is { } subject ? "sub:" + subject : "ip:" + http.Connection.RemoteIpAddress;

    /// <summary>
    /// Refuses a body over the limit with 413 naming it, and stops a body without Content-Length that grows past it.
    /// A body up to 16 times the limit is read and dropped first, so that the client, still sending, reliably gets
    /// the answer instead of a reset connection; beyond that the server's hard limit cuts the connection.
    /// </summary>
    public static IApplicationBuilder UseRequestBodyLimit(IApplicationBuilder app, EdgeLimits limits) => app.Use(async (http, next) =>
    {
        var limit = limits.MaxBodyBytesOf(http.Request);
        var hardLimit = limit * 16;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } kestrel)
            kestrel.MaxRequestBodySize = hardLimit;
        if (http.Request.ContentLength > limit)
        {
            if (http.Request.ContentLength <= hardLimit) await http.Request.Body.CopyToAsync(Stream.Null, http.RequestAborted);
            await TooLarge(limit).ExecuteAsync(http);
            return;
        }
        http.Request.Body = new LimitedReadStream(http.Request.Body, limit);
        await next(http);
    });

    public static IResult TooLarge(long limit) => Results.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
        detail: $"body must be at most {limit} bytes",
        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["body"] = [$"must be at most {limit} bytes"] } });

    /// <summary>A chunked body has no Content-Length: count what is read and stop at the limit.</summary>
    private sealed class LimitedReadStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => Count(await inner.ReadAsync(buffer, ct));
        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => Count(await inner.ReadAsync(buffer.AsMemory(offset, count), ct));
        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        private int Count(int read)
        {
            _read += read;
            if (_read > limit) throw new BadHttpRequestException($"body must be at most {limit} bytes", StatusCodes.Status413PayloadTooLarge);
            return read;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
