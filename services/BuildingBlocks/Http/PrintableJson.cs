using System.Text.Json;
using PatientJourney.Contracts;

namespace PatientJourney.BuildingBlocks.Http;

/// <summary>
/// The edge's catch-all for text: every string and property name of a body must be printable
/// (<see cref="FieldValidation.IsPrintable"/>), whatever field it is in, known or not. A NUL would otherwise reach
/// PostgreSQL, which cannot store it in JSON, and fail the transaction of every request batched with it.
/// </summary>
public static class PrintableJson
{
    /// <summary>Names each field holding an unprintable string or name; true when there is none.</summary>
    public static bool Check(JsonElement element, FieldValidation validation, string path = "")
    {
        var clean = true;
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                if (!IsPrintable(element, isName: false, null)) { validation.Add(Field(path), FieldValidation.ControlCharacterMessage); clean = false; }
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var child = path.Length == 0 ? SafeName(property) : $"{path}.{SafeName(property)}";
                    if (!IsPrintable(default, isName: true, property)) { validation.Add(child, "the property name " + FieldValidation.ControlCharacterMessage); clean = false; continue; }
                    clean &= Check(property.Value, validation, child);
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray()) clean &= Check(item, validation, $"{path}[{i++}]");
                break;
        }
        return clean;
    }

    private static string Field(string path) => path.Length == 0 ? "body" : path;

    // A name that is itself unprintable is not echoed back into the problem document.
    private static string SafeName(JsonProperty property)
    {
        try
        {
            return FieldValidation.IsPrintable(property.Name) ? property.Name : "(unprintable name)";
        }
        catch (InvalidOperationException)
        {
            return "(unprintable name)";
        }
    }

    private static bool IsPrintable(JsonElement value, bool isName, JsonProperty? property)
    {
        try
        {
            // GetString throws for an escaped unpaired surrogate ("\ud800"): that is no text either.
            return FieldValidation.IsPrintable(isName ? property!.Value.Name : value.GetString());
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
