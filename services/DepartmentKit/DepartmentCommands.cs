using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Terminology;
using PatientJourney.Hosting;
using PatientJourney.Hosting.Http;
using PatientJourney.Hosting.Security;

namespace PatientJourney.DepartmentKit;

/// <summary>A command as it arrives, over HTTP or as an entry of a batch.</summary>
public sealed record CommandInput(IReadOnlyDictionary<string, string> Route, JsonElement Body, string IdempotencyKey, string RecordedBy, DateOnly Today);

/// <summary>Checks a command; the write to decide, or null with the offending fields in the validation.</summary>
public delegate DepartmentWrite? PrepareCommand(CommandInput input, FieldValidation validation);

/// <summary>Endpoint metadata of a department command: how to check it outside its own HTTP request (a batch entry).</summary>
public sealed record DepartmentCommandEndpoint(PrepareCommand Prepare);

/// <summary>The contract's 202 answer.</summary>
public sealed record AcceptedEvent(Guid EventId, string PatientId, string Type);

/// <summary>
/// The one path every department command takes: read and validate the body, then hand the decision to the
/// <see cref="DepartmentWriter"/>, which honours Idempotency-Key, decides against the patient's stream and appends
/// (with other requests, in one transaction); answer 202. The bus is never touched here; the outbox subscription
/// forwards what is appended.
/// </summary>
public static class DepartmentCommands
{
    internal const int MaxIdempotencyKeyLength = 128;

    // The body is read by hand, not bound, so that a wrong content type or malformed JSON is a 400 naming
    // the field like every other bad input (framework binding answers 415 or an empty 400).
    /// <param name="clinicalDateField">The request field that becomes the event's occurredOn, named when the department's
    /// rule (<see cref="DepartmentRule"/>) refuses the event's date.</param>
    /// <param name="policy">Who may post it: the department's own role unless the department registered another policy.</param>
    public static RouteHandlerBuilder MapCommand<TRequest>(
        this IEndpointRouteBuilder app, string pattern, Func<TRequest, CommandContext, Decision> decide, string clinicalDateField = "occurredOn",
        string policy = Policies.RecordDepartmentFacts)
        where TRequest : class, IValidatedRequest
    {
        var rule = app.ServiceProvider.GetService<DepartmentRule>();
        var terminology = app.Terminology();
        Decision DecideUnderRule(TRequest request, CommandContext context) =>
            rule is null ? decide(request, context) : rule(context, decide(request, context), clinicalDateField);

        DepartmentWrite? Prepare(CommandInput input, FieldValidation validation) => PrepareWrite<TRequest>(input, validation, terminology, DecideUnderRule);
        RequiredFields.Learn(typeof(TRequest));

        return app.MapPost(pattern, (HttpContext http, DepartmentWriter writer, TimeProvider clock, CancellationToken ct) =>
                HandleAsync(http, writer, clock, Prepare, ct))
            // The batch endpoint finds the command of each entry by this.
            .WithMetadata(new DepartmentCommandEndpoint(Prepare))
            // The body is not bound by the framework, so the OpenAPI document is told its schema here.
            .AddOpenApiOperationTransformer(async (operation, context, ct) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(TRequest), null, ct) },
                    },
                };
                if (operation.Responses?.GetValueOrDefault("202") is OpenApiResponse { Content: { } accepted } && accepted.TryGetValue("application/json", out var media))
                    media.Example = AcceptedExample;
            })
            .RequireAuthorization(policy)
            .Produces<AcceptedEvent>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }

    /// <summary>The event a command records: its facts may then be amended with the command's own body (FactCorrections).</summary>
    public static RouteHandlerBuilder Records<TEvent>(this RouteHandlerBuilder command) where TEvent : ClinicalEvent =>
        command.WithMetadata(new FactCorrections.RecordsEvent(typeof(TEvent)));

    private static readonly System.Text.Json.Nodes.JsonObject AcceptedExample = new()
    {
        ["eventId"] = "5f0c2a7e-3b1d-4c8e-9a51-2d7f6b0e4c13", ["patientId"] = "LMS-0001", ["type"] = "CtResulted",
    };

    private static async Task<IResult> HandleAsync(
        HttpContext http, DepartmentWriter writer, TimeProvider clock, PrepareCommand prepare, CancellationToken ct)
    {
        await writer.WaitForOutboxRoomAsync(ct);
        var validation = new FieldValidation();
        var idempotencyKey = http.Request.Headers["Idempotency-Key"].ToString();
        DepartmentWrite? write;
        // The parsed body (pooled buffers) is let go before the request waits for its batch: under a burst thousands wait.
        using (var document = await ParseBodyAsync(http.Request.Body, validation, ct))
        {
            if (document is null) return TypedResults.ValidationProblem(validation.Errors);
            var route = http.Request.RouteValues.ToDictionary(kv => kv.Key, kv => kv.Value as string ?? "", StringComparer.Ordinal);
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            write = prepare(new CommandInput(route, document.RootElement, idempotencyKey, http.User.Subject(), today), validation);
        }
        return write is null ? TypedResults.ValidationProblem(validation.Errors) : await writer.SubmitAsync(write, ct);
    }

    /// <summary>
    /// Checks a command as the department would take it over HTTP or in a batch: route ids, Idempotency-Key, body.
    /// Answers the write to decide, or null with every offending field in <paramref name="validation"/>.
    /// </summary>
    private static DepartmentWrite? PrepareWrite<TRequest>(
        CommandInput input, FieldValidation validation, ClinicalTerminology terminology, Func<TRequest, CommandContext, Decision> decide)
        where TRequest : class, IValidatedRequest
    {
        foreach (var (name, value) in input.Route) validation.PatientId(value, name); // every route id has the patientId alphabet
        if (!validation.IsValid) return null;
        var routePatientId = input.Route.GetValueOrDefault("patientId");
        if (!IsIdempotencyKey(input.IdempotencyKey))
        {
            validation.Add("Idempotency-Key", IdempotencyKeyRule);
            return null;
        }

        if (input.Body.ValueKind == JsonValueKind.Object && !PrintableJson.Check(input.Body, validation)) return null;
        var request = ReadBody<TRequest>(input.Body, validation);
        if (request is null) return null;
        request.Validate(validation, input.Today);
        (request as ITerminologyRequest)?.CheckTerms(validation, terminology);
        var patientId = routePatientId ?? (request as IPatientRequest)?.PatientId;
        if (routePatientId is null) validation.PatientId(patientId);
        if (!validation.IsValid) return null;

        return new DepartmentWrite(patientId!, input.IdempotencyKey, input.RecordedBy, input.Today, input.Route, context => decide(request, context))
            { OtherPatients = (request as IOtherPatientsRequest)?.OtherPatients ?? [] };
    }

    internal static readonly string IdempotencyKeyRule = $"must be at most {MaxIdempotencyKeyLength} characters of printable ASCII (U+0020-U+007E)";

    /// <summary>An Idempotency-Key is printable ASCII: it is stored as a key, and an HTTP header could carry nothing else.</summary>
    internal static bool IsIdempotencyKey(string key) =>
        key.Length <= MaxIdempotencyKeyLength && key.AsSpan().IndexOfAnyExceptInRange(' ', '~') < 0;

    internal static IResult Refuse(Refusal refusal) => refusal.Status == StatusCodes.Status400BadRequest
        ? TypedResults.ValidationProblem(refusal.Errors ?? new FieldValidation().Add(refusal.Field, refusal.Detail).Errors)
        : TypedResults.Problem(
        statusCode: refusal.Status,
        title: refusal.Status == StatusCodes.Status404NotFound ? "Not found" : "Conflicts with what the department has recorded",
        detail: refusal.Detail,
        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [refusal.Field] = [refusal.Detail] } });

    // JsonElement, not JsonNode: deserializing from an element re-reads the raw UTF-8, so invalid UTF-8 and lone
    // surrogate escapes are JsonExceptions (400) instead of silently replaced characters or a 500.
    internal static async Task<JsonDocument?> ParseBodyAsync(Stream body, FieldValidation validation, CancellationToken ct)
    {
        try
        {
            return await JsonDocument.ParseAsync(body, new JsonDocumentOptions { MaxDepth = JsonDefaults.Options.MaxDepth }, ct);
        }
        catch (JsonException)
        {
            validation.Add("body", "is not valid JSON");
            return null;
        }
    }

    /// <summary>
    /// Reads the body whole; only when that fails is each property read on its own, so that a 400 names every field of
    /// the wrong type, not only the first one the serializer trips on. A body that reads whole has no such field, so
    /// the usual request pays one deserialization instead of one per property and then one more.
    /// </summary>
    private static TRequest? ReadBody<TRequest>(JsonElement body, FieldValidation validation)
        where TRequest : class
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            validation.Add("body", "must be a JSON object");
            return null;
        }

        try
        {
            return body.Deserialize<TRequest>(JsonDefaults.Options);
        }
        catch (JsonException)
        {
            // named below, field by field
        }

        foreach (var property in JsonDefaults.Options.GetTypeInfo(typeof(TRequest)).Properties)
        {
            if (!body.TryGetProperty(property.Name, out var value) || value.ValueKind == JsonValueKind.Null) continue;
            try
            {
                value.Deserialize(property.PropertyType, JsonDefaults.Options);
            }
            catch (JsonException ex)
            {
                validation.Add(property.Name + FieldOf(ex.Path).Replace("body", "", StringComparison.Ordinal) switch
                {
                    "" => "",
                    var inner when inner.StartsWith('[') => inner,
                    var inner => "." + inner,
                }, "has the wrong type or format");
            }
        }
        if (!validation.IsValid) return null;

        try
        {
            return body.Deserialize<TRequest>(JsonDefaults.Options);
        }
        catch (JsonException ex)
        {
            validation.Add(FieldOf(ex.Path), "has the wrong type or format");
            return null;
        }
    }

    /// <summary>"$.drugs[0].route" names the field "drugs[0].route".</summary>
    public static string FieldOf(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "body" : jsonPath.TrimStart('$').TrimStart('.');
}
