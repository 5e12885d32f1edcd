using System.Text.RegularExpressions;

namespace PatientJourney.Contracts;

/// <summary>
/// Collects every offending field of a request or an event, keyed by its JSON path (RFC 9457 "errors"). One copy of
/// the rules: a department checks its requests and the events it decides with it, and the journey checks every event
/// the bus brings with the same code before recording it.
/// </summary>
public sealed class FieldValidation
{
    // Made on the first error: every request and every event is checked, and nearly all of them have none.
    private Dictionary<string, List<string>>? _errors;

    public bool IsValid => _errors is null;

    public IDictionary<string, string[]> Errors =>
        _errors?.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()) ?? new Dictionary<string, string[]>();

    public FieldValidation Add(string field, string message)
    {
        _errors ??= new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public bool Required<T>(T? value, string field) where T : struct
    {
        if (value is not null) return true;
        Add(field, "is required");
        return false;
    }

    /// <summary>Required text: not blank, at most <paramref name="maxLength"/> characters, and <see cref="Text"/>.</summary>
    public bool Required(string? value, string field, int maxLength = ClinicalLimits.LongText)
    {
        if (string.IsNullOrWhiteSpace(value)) { Add(field, "is required"); return false; }
        return MaxLength(value, field, maxLength);
    }

    public bool Required<T>(IReadOnlyCollection<T>? value, string field, bool nonEmpty = true)
    {
        if (value is null || (nonEmpty && value.Count == 0)) { Add(field, nonEmpty ? "is required and must not be empty" : "is required"); return false; }
        return true;
    }

    /// <summary>Optional text: at most <paramref name="maxLength"/> characters, and <see cref="Text"/>.</summary>
    public bool MaxLength(string? value, string field, int maxLength = ClinicalLimits.LongText)
    {
        if (value is null) return true;
        if (value.Length > maxLength) { Add(field, $"must be at most {maxLength} characters"); return false; }
        return Text(value, field);
    }

    public const string ControlCharacterMessage =
        "must not contain control characters (U+0000-U+001F other than tab, line feed and carriage return; U+007F-U+009F) or unpaired surrogates";

    /// <summary>
    /// Clinical text is printable: no NUL (PostgreSQL cannot store it in JSON), no other control character but tab,
    /// line feed and carriage return, no unpaired UTF-16 surrogate (it is no character at all).
    /// </summary>
    public bool Text(string? value, string field)
    {
        if (value is null || IsPrintable(value)) return true;
        Add(field, ControlCharacterMessage);
        return false;
    }

    public static bool IsPrintable(ReadOnlySpan<char> value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c < ' ' ? c is not ('\t' or '\n' or '\r') : c is >= '\u007f' and <= '\u009f') return false;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1])) return false;
                i++;
            }
            else if (char.IsLowSurrogate(c)) return false;
        }
        return true;
    }

    public void Range(int? value, string field, int min, int max)
    {
        if (value is not null && (value < min || value > max)) Add(field, $"must be between {min} and {max}");
    }

    public void Range(decimal? value, string field, decimal min, decimal max)
    {
        if (value is not null && (value < min || value > max)) Add(field, $"must be between {min} and {max}");
    }

    public void Range(int? value, string field, (int Min, int Max) range) => Range(value, field, range.Min, range.Max);

    public void Range(decimal? value, string field, (decimal Min, decimal Max) range) => Range(value, field, range.Min, range.Max);

    public void Positive(decimal? value, string field)
    {
        if (value is not null && value <= 0) Add(field, "must be greater than 0");
    }

    /// <summary>A clinical date: required, not after <paramref name="latest"/> (today, for a department), not before 1900.</summary>
    public bool ClinicalDate(DateOnly? date, string field, DateOnly latest, bool required = true)
    {
        if (date is null)
        {
            if (required) Add(field, "is required");
            return !required;
        }
        if (date > latest) { Add(field, "must not be in the future"); return false; }
        if (date < ClinicalLimits.EarliestClinicalDate) { Add(field, $"must not be before {ClinicalLimits.EarliestClinicalDate:yyyy-MM-dd}"); return false; }
        return true;
    }

    /// <summary>Each item of a list validated with its index in the field name ("drugs[1].route").</summary>
    public void Each<T>(IReadOnlyList<T?>? items, string field, Action<T, string> validate) where T : class
    {
        if (items is null) return;
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is { } item) validate(item, $"{field}[{i}]");
            else Add($"{field}[{i}]", "must not be null");
        }
    }

    /// <summary>Contract: a patientId is the hospital's medical record number (<see cref="PatientIds"/>).</summary>
    public bool PatientId(string? value, string field = "patientId")
    {
        if (string.IsNullOrEmpty(value)) { Add(field, "is required"); return false; }
        if (PatientIds.IsValid(value)) return true;
        Add(field, PatientIds.Rule);
        return false;
    }
}

/// <summary>
/// Contract: a patientId (and any other id that travels in a path) is 1-64 of A-Z a-z 0-9 - _ . and not dots only:
/// "." and ".." are path segments a URL resolves away, so such a patient could be recorded and never read back.
/// </summary>
public static partial class PatientIds
{
    public const string Rule = "must be 1-64 characters of A-Z a-z 0-9 - _ . and not dots only";

    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    /// <summary>The same rule as a JSON Schema (ECMA-262) pattern, for the API descriptions: there $ is the end of the text.</summary>
    public const string JsonSchemaPattern = @"^(?!\.+$)[A-Za-z0-9._-]{1,64}$";

    // \z, not $: $ also matches before a final line feed, which would let "LMS-1\n" through.
    [GeneratedRegex(@"^(?!\.+\z)[A-Za-z0-9._-]{1,64}\z")]
    private static partial Regex Pattern();
}
