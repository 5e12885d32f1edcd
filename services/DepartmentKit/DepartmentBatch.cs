using PatientJourney.Contracts;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using PatientJourney.Hosting.Http;
using PatientJourney.Hosting.Security;

namespace PatientJourney.DepartmentKit;

/// <summary>One command of a batch: the path it would be posted to, its body, and its own Idempotency-Key.</summary>
public sealed record BatchEntry(string Path, JsonElement Body, string? IdempotencyKey = null);

public sealed record BatchRequest(IReadOnlyList<BatchEntry> Entries);

/// <summary>What became of one entry: 202 with the event, or the problem document it would have had on its own.</summary>
public sealed record BatchEntryAnswer(
    int Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? EventId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PatientId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Type = null,
    // object: serialized as what it is, so a validation problem keeps its "errors".
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Problem = null);

public sealed record BatchAnswer(IReadOnlyList<BatchEntryAnswer> Entries);

/// <summary>
/// <c>POST /batch</c>: many commands of one department in one request, for integration engines that send the night's
/// reports in a burst. Each entry is checked and decided exactly as if it had been posted on its own (same validation,
/// same Idempotency-Key rule, same 400/404/409) and answered in the same order; entries of one patient are decided in
/// their order in the batch. It is a batch, not a transaction: a refused entry records nothing and does not stop the
/// others. Only a malformed envelope (not a list of entries with a path and a body, or too many) refuses the whole
/// request. The request, its authentication and the department's round trips are paid once for all its entries.
/// </summary>
public static class DepartmentBatch
{
    public const string Route = EdgeLimits.BatchRoute;
    public const int MaxEntries = 1000;

    public static RouteHandlerBuilder MapDepartmentBatch(this IEndpointRouteBuilder app)
    {
        // Resolved on first use: by then every command of the department is mapped.
        var commands = new Lazy<IReadOnlyList<(TemplateMatcher Matcher, PrepareCommand Prepare)>>(() => app.DataSources
            .SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Select(e => (e.RoutePattern, e.Metadata.GetMetadata<DepartmentCommandEndpoint>()?.Prepare))
            .Where(c => c.Prepare is not null)
            .Select(c => (new TemplateMatcher(new RouteTemplate(c.RoutePattern), new RouteValueDictionary()), c.Prepare!))
            .ToList());

        return app.MapPost(Route, (HttpContext http, DepartmentWriter writer, TimeProvider clock, EdgeLimits limits, CancellationToken ct) =>
                HandleAsync(http, writer, clock, limits, commands.Value, ct))
            .WithName("RecordBatch")
            .WithSummary("Many commands of this department in one request, each answered as if posted on its own")
            .Accepts<BatchRequest>("application/json")
            .RequireAuthorization(Policies.RecordDepartmentFacts)
            .Produces<BatchAnswer>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
    }

    private static async Task<IResult> HandleAsync(
        HttpContext http, DepartmentWriter writer, TimeProvider clock, EdgeLimits limits, IReadOnlyList<(TemplateMatcher Matcher, PrepareCommand Prepare)> commands, CancellationToken ct)
    {
        await writer.WaitForOutboxRoomAsync(ct);
        var validation = new FieldValidation();
        var document = await DepartmentCommands.ParseBodyAsync(http.Request.Body, validation, ct);
        if (document is null) return TypedResults.ValidationProblem(validation.Errors);
        Task<IResult>[] answers;
        // The parsed batch is let go once every entry is checked and queued, before the wait for their commits.
        using (document)
        {
            var entries = ReadEnvelope(document.RootElement, validation);
            if (entries is null) return TypedResults.ValidationProblem(validation.Errors);
            answers = Queue(entries, commands, writer, clock, limits, http.User.Subject(), ct);
        }

        var answered = new List<BatchEntryAnswer>(answers.Length);
        foreach (var answer in answers) answered.Add(await AnswerOfAsync(answer));
        return TypedResults.Ok(new BatchAnswer(answered));
    }

    /// <summary>
    /// An entry whose write failed (the store unreachable, say) is answered 503 on its own line, and the batch still
    /// answers 200 with every other entry as it was committed: were the whole request to fail, a retry would record the
    /// committed entries again under new event ids (those without an Idempotency-Key).
    /// </summary>
    private static async Task<BatchEntryAnswer> AnswerOfAsync(Task<IResult> answer)
    {
        try
        {
            return AnswerOf(await answer);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new BatchEntryAnswer(StatusCodes.Status503ServiceUnavailable, null, null, null, new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Not recorded",
                Detail = "The department could not record this entry; nothing of it was recorded. Send it again.",
            });
        }
    }

    private static Task<IResult>[] Queue(List<(string Path, JsonElement Body, string IdempotencyKey)> entries,
        IReadOnlyList<(TemplateMatcher Matcher, PrepareCommand Prepare)> commands, DepartmentWriter writer, TimeProvider clock, EdgeLimits limits, string recordedBy, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        // Every entry is queued before any is awaited, in order: the writer decides one patient's commands in the
        // order they were queued, and the whole batch shares its transactions with whatever else is waiting.
        var answers = new Task<IResult>[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            var (path, body, idempotencyKey) = entries[i];
            var entryValidation = new FieldValidation();
            // An entry may be no larger than the same command posted alone (what bounds its free text).
            answers[i] = JsonMarshal.GetRawUtf8Value(body).Length > limits.MaxRequestBodyBytes
                ? Task.FromResult(EdgeLimits.TooLarge(limits.MaxRequestBodyBytes))
                : ToPathString(path) is not { } pathString
                ? Task.FromResult(DepartmentCommands.Refuse(new Refusal(StatusCodes.Status400BadRequest, "path", "is not a URL path (it decodes to a NUL)")))
                : Match(commands, pathString) is not { } command
                ? Task.FromResult(DepartmentCommands.Refuse(new Refusal(StatusCodes.Status404NotFound, "path", "is not a command of this department")))
                : command.Prepare(new CommandInput(command.Route, body, idempotencyKey, recordedBy, today), entryValidation) is { } write
                    ? writer.SubmitAsync(write, ct)
                    : Task.FromResult<IResult>(TypedResults.ValidationProblem(entryValidation.Errors));
        }
        return answers;
    }

    /// <summary>The entries, or null with the envelope's offending fields (then nothing of the batch is recorded).</summary>
    private static List<(string Path, JsonElement Body, string IdempotencyKey)>? ReadEnvelope(JsonElement root, FieldValidation validation)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("entries", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            validation.Add("entries", "is required and must be a list");
            return null;
        }
        var count = list.GetArrayLength();
        if (count is 0 or > MaxEntries)
        {
            validation.Add("entries", $"must hold 1 to {MaxEntries} entries");
            return null;
        }

        var entries = new List<(string, JsonElement, string)>(count);
        var i = 0;
        foreach (var entry in list.EnumerateArray())
        {
            var at = $"entries[{i++}]";
            if (entry.ValueKind != JsonValueKind.Object)
            {
                validation.Add(at, "must be an object with a path and a body");
                continue;
            }
            var path = entry.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : null;
            if (path is null || !path.StartsWith('/') || path.Length > 512 || path.AsSpan().IndexOfAnyExceptInRange('!', '~') >= 0)
                validation.Add(at + ".path", "is required: the command's path in printable ASCII, e.g. /patients/{patientId}/visits");
            if (!entry.TryGetProperty("body", out var body) || body.ValueKind != JsonValueKind.Object) validation.Add(at + ".body", "is required and must be a JSON object");
            var key = "";
            if (entry.TryGetProperty("idempotencyKey", out var k) && k.ValueKind != JsonValueKind.Null)
            {
                string? text = null;
                try { text = k.ValueKind == JsonValueKind.String ? k.GetString() : null; }
                catch (InvalidOperationException) { } // an escaped unpaired surrogate: no text
                if (text is null || !DepartmentCommands.IsIdempotencyKey(text))
                    validation.Add(at + ".idempotencyKey", "must be a string: " + DepartmentCommands.IdempotencyKeyRule);
                else key = text;
            }
            entries.Add((path ?? "", body, key));
        }
        return validation.IsValid ? entries : null;
    }

    /// <summary>The command posted to <paramref name="path"/>, with its route values, as routing would have found it.</summary>
    private static (PrepareCommand Prepare, IReadOnlyDictionary<string, string> Route)? Match(
        IReadOnlyList<(TemplateMatcher Matcher, PrepareCommand Prepare)> commands, PathString pathString)
    {
        foreach (var (matcher, prepare) in commands)
        {
            var values = new RouteValueDictionary();
            if (matcher.TryMatch(pathString, values))
                return (prepare, values.ToDictionary(v => v.Key, v => v.Value as string ?? "", StringComparer.Ordinal));
        }
        return null;
    }

    /// <summary>The path decoded as routing decodes a request's; null for "%00", which Kestrel refuses in a request line.</summary>
    private static PathString? ToPathString(string path)
    {
        try
        {
            return PathString.FromUriComponent(path);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static BatchEntryAnswer AnswerOf(IResult result) => result switch
    {
        Accepted<AcceptedEvent> { Value: { } e } => new BatchEntryAnswer(StatusCodes.Status202Accepted, e.EventId, e.PatientId, e.Type, null),
        ValidationProblem problem => new BatchEntryAnswer(StatusCodes.Status400BadRequest, null, null, null, problem.ProblemDetails),
        ProblemHttpResult problem => new BatchEntryAnswer(problem.StatusCode, null, null, null, problem.ProblemDetails),
        _ => throw new InvalidOperationException($"a department command answered {result.GetType().Name}"),
    };
}
