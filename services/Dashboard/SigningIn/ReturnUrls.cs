namespace PatientJourney.Dashboard.SigningIn;

/// <summary>
/// Where the browser may be sent after signing in: a path on this site, nothing else. Browsers read `/\host`, `//host`
/// and `/&lt;TAB&gt;/host` as another site, and a non-ASCII or control character cannot be written in a Location
/// header at all (Kestrel throws, a 500), so anything but a plain printable-ASCII local path is refused.
/// </summary>
public static class ReturnUrls
{
    public const string Field = "returnUrl";
    public const string Home = "/";
    public const int MaxLength = 2048;

    /// <summary>The local path to go to (home when none was given), or why the value is refused.</summary>
    public static bool TryParse(string? value, out string local, out string? error)
    {
        local = Home;
        error = null;
        if (string.IsNullOrEmpty(value)) return true;
        error = Refusal(value);
        if (error is not null) return false;
        local = value;
        return true;
    }

    private static string? Refusal(string value)
    {
        if (value.Length > MaxLength) return $"must be at most {MaxLength} characters";
        // Printable ASCII only: no space, tab, newline, control, backslash or non-ASCII character anywhere.
        foreach (var c in value)
            if (c is < '!' or > '~' or '\\') return "must be a path on this site, in printable ASCII without spaces or backslashes (percent-encode the rest)";
        if (!IsSingleSlashPath(value)) return "must be a path on this site, starting with a single '/'";
        // A proxy or framework that decodes once more must not find another site or a control character either.
        var decoded = Uri.UnescapeDataString(value);
        if (!IsSingleSlashPath(decoded) || decoded.Any(char.IsControl)) return "must not hide another site or a control character behind percent-encoding";
        return null;
    }

    private static bool IsSingleSlashPath(string path) => path.StartsWith('/') && (path.Length == 1 || path[1] is not ('/' or '\\'));
}
