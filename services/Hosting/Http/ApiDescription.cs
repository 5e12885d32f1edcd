using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using PatientJourney.Contracts;

namespace PatientJourney.Hosting.Http;

/// <summary>
/// What every service's OpenAPI document says alike, because every route passes the same pipeline (ServiceDefaults):
/// the bearer token, the route's ids and the refusals of the edge (400, 401, 403, 404, 413, 429), each a problem
/// document with its example. What only one route answers stays with that route.
/// </summary>
public static partial class ApiDescription
{
    public const string BearerScheme = "bearer";
    public const string ProblemContentType = "application/problem+json";

    public static IServiceCollection AddPatientJourneyOpenApi(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Description = "Every route needs a bearer token (JWT); every refusal is an RFC 9457 problem document naming "
                + "the field. The contract, with the fields each body requires: docs/api-contract.md.";
            foreach (var server in document.Servers ?? []) server.Url = server.Url?.TrimEnd('/');
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                Description = "A token of the hospital's OpenID Connect provider; the roles each route needs are in docs/security.md.",
            };
            return Task.CompletedTask;
        });
        o.AddOperationTransformer(DescribeEdgeAsync);
    });

    /// <summary>A header the route sets on an answer (paging counts), declared on that answer.</summary>
    public static RouteHandlerBuilder WithResponseHeader(this RouteHandlerBuilder route, int status, string name, JsonSchemaType type, string description) =>
        route.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.GetValueOrDefault(status.ToString(System.Globalization.CultureInfo.InvariantCulture)) is OpenApiResponse response)
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers[name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = type } };
            }
            return Task.CompletedTask;
        });

    private static async Task DescribeEdgeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var pathIds = RouteIds().Matches(context.Description.RelativePath ?? "").Select(m => m.Groups[1].Value).ToList();
        DeclarePathIds(operation, pathIds);
        DeclareContentTypesWithoutType(operation, metadata);

        var problem = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, ct);
        var naming = await context.GetOrCreateSchemaAsync(typeof(HttpValidationProblemDetails), null, ct);
        Refusal(operation, StatusCodes.Status400BadRequest, naming);
        if (!metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] });
            Refusal(operation, StatusCodes.Status401Unauthorized, problem);
            Refusal(operation, StatusCodes.Status403Forbidden, problem);
        }
        if (pathIds.Contains("patientId")) Refusal(operation, StatusCodes.Status404NotFound, naming);
        if (context.Description.HttpMethod == HttpMethods.Post) Refusal(operation, StatusCodes.Status413PayloadTooLarge, naming);
        var tooMany = Refusal(operation, StatusCodes.Status429TooManyRequests, problem);
        tooMany.Headers ??= new Dictionary<string, IOpenApiHeader>();
        tooMany.Headers["Retry-After"] = new OpenApiHeader
        {
            Description = "Seconds to wait before the next request.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
        };
        // Whatever the route declared itself (404, 409) gets its example too.
        foreach (var (status, response) in operation.Responses!)
            if (response is OpenApiResponse { Content: { } content } && content.TryGetValue(ProblemContentType, out var media) && media.Example is null)
                media.Example = Example(int.Parse(status, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A refusal as a problem document: the route's own declaration if it made one, else this.</summary>
    private static OpenApiResponse Refusal(OpenApiOperation operation, int status, IOpenApiSchema schema)
    {
        var response = ResponseFor(operation, status);
        response.Content!.TryAdd(ProblemContentType, new OpenApiMediaType { Schema = schema });
        return response;
    }

    /// <summary>The operation's answer with this status, made (with content to fill) if the route declared none.</summary>
    private static OpenApiResponse ResponseFor(OpenApiOperation operation, int status)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        operation.Responses ??= new OpenApiResponses();
        if (operation.Responses.GetValueOrDefault(key) is not OpenApiResponse response)
            operation.Responses[key] = response = new OpenApiResponse { Description = ReasonPhrases.GetReasonPhrase(status) };
        response.Content ??= new Dictionary<string, OpenApiMediaType>();
        return response;
    }

    /// <summary>Every id in a route has the patientId alphabet; a handler that reads the route itself declares none.</summary>
    private static void DeclarePathIds(OpenApiOperation operation, IReadOnlyList<string> pathIds)
    {
        operation.Parameters ??= [];
        foreach (var name in pathIds)
        {
            var declared = operation.Parameters.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == name && p.In == ParameterLocation.Path);
            if (declared is null) operation.Parameters.Add(declared = new OpenApiParameter { Name = name, In = ParameterLocation.Path, Required = true });
            declared.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = PatientIds.JsonSchemaPattern };
            declared.Description ??= $"{PatientIds.Rule}.";
        }
    }

    /// <summary>A route that declares a content type but no body type (a FHIR Bundle, an event stream) still names it.</summary>
    private static void DeclareContentTypesWithoutType(OpenApiOperation operation, IList<object> metadata)
    {
        foreach (var produces in metadata.OfType<IProducesResponseTypeMetadata>().Where(p => p.Type is null || p.Type == typeof(void)))
        {
            if (!produces.ContentTypes.Any()) continue;
            var response = ResponseFor(operation, produces.StatusCode);
            foreach (var contentType in produces.ContentTypes)
                response.Content!.TryAdd(contentType, new OpenApiMediaType
                {
                    Schema = new OpenApiSchema { Type = contentType.EndsWith("json", StringComparison.Ordinal) ? JsonSchemaType.Object : JsonSchemaType.String },
                });
        }
    }

    private static JsonObject Example(int status) => status switch
    {
        StatusCodes.Status400BadRequest => Problem(status, "One or more validation errors occurred.", null, "occurredOn", "must not be in the future"),
        StatusCodes.Status401Unauthorized => Problem(status, "Unauthorized"),
        StatusCodes.Status403Forbidden => Problem(status, "Forbidden"),
        StatusCodes.Status404NotFound => Problem(status, "Unknown patient", "The journey has no events for patient LMS-0001", "patientId", "unknown patient"),
        StatusCodes.Status409Conflict => Problem(status, "Conflicts with what the department has recorded",
            "regimen R1 was stopped on 2011-03-01", "cycleNumber", "regimen R1 was stopped on 2011-03-01"),
        StatusCodes.Status413PayloadTooLarge => Problem(status, "Request body too large", "body must be at most 65536 bytes", "body", "must be at most 65536 bytes"),
        StatusCodes.Status429TooManyRequests => Problem(status, "Too many requests", "at most 200 requests per second per caller"),
        _ => Problem(status, ReasonPhrases.GetReasonPhrase(status)),
    };

    private static JsonObject Problem(int status, string title, string? detail = null, string? field = null, string? message = null)
    {
        var problem = new JsonObject { ["title"] = title, ["status"] = status };
        if (detail is not null) problem["detail"] = detail;
        if (field is not null) problem["errors"] = new JsonObject { [field] = new JsonArray(message) };
        return problem;
    }

    [GeneratedRegex(@"\{([^}:?*]+)")]
    private static partial Regex RouteIds();
}
