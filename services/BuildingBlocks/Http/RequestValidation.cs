using System.Text.RegularExpressions;

namespace PatientJourney.BuildingBlocks.Http;

/// <summary>Collects every offending field of a request, keyed by its JSON path (RFC 9457 "errors").</summary>
public sealed partial class RequestValidation
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public IDictionary<string, string[]> Errors => _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());

    public RequestValidation Add(string field, string message)
    {
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

    public bool Required(string? value, string field, int maxLength = 4000)
    {
        if (string.IsNullOrWhiteSpace(value)) { Add(field, "is required"); return false; }
        return MaxLength(value, field, maxLength);
    }

    public bool Required<T>(IReadOnlyCollection<T>? value, string field, bool nonEmpty = true)
    {
        if (value is null || (nonEmpty && value.Count == 0)) { Add(field, nonEmpty ? "is required and must not be empty" : "is required"); return false; }
        return true;
    }

    public bool MaxLength(string? value, string field, int maxLength = 4000)
    {
        if (value is null || value.Length <= maxLength) return true;
        Add(field, $"must be at most {maxLength} characters");
        return false;
    }

    public void Range(int? value, string field, int min, int max)
    {
        if (value is not null && (value < min || value > max)) Add(field, $"must be between {min} and {max}");
    }

    public void Range(decimal? value, string field, decimal min, decimal max)
    {
        if (value is not null && (value < min || value > max)) Add(field, $"must be between {min} and {max}");
    }

    public void Positive(decimal? value, string field)
    {
        if (value is not null && value <= 0) Add(field, "must be greater than 0");
    }

    private static readonly DateOnly EarliestClinicalDate = new(1900, 1, 1);

    /// <summary>A clinical date: required, not in the future, not before 1900.</summary>
    public bool ClinicalDate(DateOnly? date, string field, DateOnly today, bool required = true)
    {
        if (date is null)
        {
            if (required) Add(field, "is required");
            return !required;
        }
        if (date > today) { Add(field, "must not be in the future"); return false; }
        if (date < EarliestClinicalDate) { Add(field, "must not be before 1900-01-01"); return false; }
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

    /// <summary>Contract: a patientId is the hospital's medical record number, 1-64 of A-Z a-z 0-9 - _ .</summary>
    public bool PatientId(string? value, string field = "patientId")
    {
        if (string.IsNullOrEmpty(value)) { Add(field, "is required"); return false; }
        if (PatientIds.IsValid(value)) return true;
        Add(field, "must be 1-64 characters of A-Z a-z 0-9 - _ .");
        return false;
    }

}

/// <summary>Contract: a patientId is the hospital's medical record number, 1-64 of A-Z a-z 0-9 - _ .</summary>
public static partial class PatientIds
{
    public static bool IsValid(string? value) => value is not null && Pattern().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex Pattern();
}

/// <summary>A request body that can say what is wrong with itself.</summary>
public interface IValidatedRequest
{
    void Validate(RequestValidation validation, DateOnly today);
}

/// <summary>A request whose patient is named in its body rather than its route.</summary>
public interface IPatientRequest
{
    string? PatientId { get; }
}
