using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using PatientJourney.Contracts;

namespace PatientJourney.DepartmentKit;

/// <summary>
/// The fields a command's body requires, as the department's own validation says: an empty body is validated, then one
/// whose lists hold one empty item, and every field it answers "is required" is. The OpenAPI schema reads them here, so
/// the document says what the department refuses and the rule is written once, in the request's Validate.
/// </summary>
public static class RequiredFields
{
    // Facts of the request types (no configuration): kept for the process, like the serializer's type metadata.
    private static readonly ConcurrentDictionary<Type, SortedSet<string>> Known = new();

    /// <summary>Sets each request type's (and each of its item types') required fields on its schema.</summary>
    public static void Describe(OpenApiOptions options) => options.AddSchemaTransformer((schema, context, _) =>
    {
        if (Known.TryGetValue(context.JsonTypeInfo.Type, out var required) && schema is Microsoft.OpenApi.OpenApiSchema own)
            own.Required = new HashSet<string>(required, StringComparer.Ordinal);
        return Task.CompletedTask;
    });

    public static IReadOnlySet<string> Of<TRequest>() where TRequest : class, IValidatedRequest
    {
        Learn(typeof(TRequest));
        return Known[typeof(TRequest)];
    }

    public static void Learn(Type request)
    {
        if (Known.ContainsKey(request)) return;
        var found = new Dictionary<Type, SortedSet<string>> { [request] = new(StringComparer.Ordinal) };
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        foreach (var field in Missing(Probe(request, "", null, 0), today)) found[request].Add(field);
        // A body's patientId is checked with the route's ids, outside Validate.
        if (typeof(IPatientRequest).IsAssignableFrom(request)) found[request].Add("patientId");

        var items = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var field in Missing(Probe(request, "", items, 0), today))
        {
            var cut = field.LastIndexOf('.');
            if (cut > 0 && items.TryGetValue(field[..cut], out var type))
                (found.TryGetValue(type, out var set) ? set : found[type] = new(StringComparer.Ordinal)).Add(field[(cut + 1)..]);
        }
        foreach (var type in items.Values) found.TryAdd(type, new(StringComparer.Ordinal));
        foreach (var (type, fields) in found) Known.AddOrUpdate(type, fields, (_, earlier) => { earlier.UnionWith(fields); return earlier; });
    }

    private static IEnumerable<string> Missing(object probe, DateOnly today)
    {
        var validation = new FieldValidation();
        ((IValidatedRequest)probe).Validate(validation, today);
        return validation.Errors.Where(e => e.Value.Any(m => m.StartsWith("is required", StringComparison.Ordinal))).Select(e => e.Key);
    }

    /// <summary>
    /// An instance with every field null; with <paramref name="items"/>, each list holds one such item and each object
    /// field is one, their paths ("targetLesions[0]") noted with their types.
    /// </summary>
    private static object Probe(Type type, string path, Dictionary<string, Type>? items, int depth)
    {
        var constructor = type.GetConstructors().MaxBy(c => c.GetParameters().Length)!;
        return constructor.Invoke(constructor.GetParameters().Select(p => Value(p, path, items, depth)).ToArray());
    }

    private static object? Value(ParameterInfo parameter, string path, Dictionary<string, Type>? items, int depth)
    {
        if (items is null || depth > 3) return null;
        var name = path + JsonNamingPolicy.CamelCase.ConvertName(parameter.Name!);
        var type = parameter.ParameterType;
        if (type != typeof(string) && type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var item = type.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(item))!;
            if (IsObject(item))
            {
                items[name + "[0]"] = item;
                list.Add(Probe(item, name + "[0].", items, depth + 1));
            }
            return list;
        }
        if (!IsObject(type)) return null;
        items[name] = type;
        return Probe(type, name + ".", items, depth + 1);
    }

    private static bool IsObject(Type type) => type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type);
}
