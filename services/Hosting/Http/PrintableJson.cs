using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using PatientJourney.Contracts;

namespace PatientJourney.Hosting.Http;

/// <summary>
/// The edge's catch-all for text: every string and property name of a body must be printable
/// (<see cref="FieldValidation.IsPrintable"/>), whatever field it is in, known or not. A NUL would otherwise reach
/// PostgreSQL, which cannot store it in JSON, and fail the transaction of every request batched with it.
/// </summary>
public static class PrintableJson
{
    // JSON carries a C0 control character only as an escape (\); DEL and the C1 controls (UTF-8 7F, C2 80-9F) and a
    // surrogate encoded as UTF-8 (ED A0-BF, not valid UTF-8) are the only raw bytes to look at. Text without any of
    // these bytes, nearly all of it, is printable without being decoded.
    private static readonly SearchValues<byte> MaybeUnprintable = SearchValues.Create([(byte)'\\', 0x7F, 0xC2, 0xED]);

    /// <summary>Names each field holding an unprintable string or name; true when there is none.</summary>
    public static bool Check(JsonElement element, FieldValidation validation, string path = "")
    {
        var clean = true;
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                if (!IsPrintable(JsonMarshal.GetRawUtf8Value(element), element, static e => e.GetString()))
                {
                    validation.Add(path.Length == 0 ? "body" : path, FieldValidation.ControlCharacterMessage);
                    clean = false;
                }
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (!IsPrintable(JsonMarshal.GetRawUtf8PropertyName(property), property, static p => p.Name))
                    {
                        // An unprintable name is not echoed back into the problem document.
                        validation.Add(path.Length == 0 ? "(a property name)" : $"{path}.(a property name)", FieldValidation.ControlCharacterMessage);
                        clean = false;
                        continue;
                    }
                    clean &= Check(property.Value, validation, path.Length == 0 ? property.Name : $"{path}.{property.Name}");
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray()) clean &= Check(item, validation, $"{path}[{i++}]");
                break;
        }
        return clean;
    }

    private static bool IsPrintable<T>(ReadOnlySpan<byte> raw, T source, Func<T, string?> decode)
    {
        if (!raw.ContainsAny(MaybeUnprintable)) return true;
        try
        {
            return FieldValidation.IsPrintable(decode(source));
        }
        catch (InvalidOperationException)
        {
            return false; // an escaped unpaired surrogate ("\ud800") cannot even be decoded
        }
    }
}
