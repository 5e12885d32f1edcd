namespace PatientJourney.Contracts.Terminology;

/// <summary>A CTCAE v5.0 term: its MedDRA code and the grades its table defines.</summary>
public sealed record CtcaeTerm
{
    public required string Term { get; init; }
    public required string MeddraCode { get; init; }
    public required IReadOnlyList<int> Grades { get; init; }

    public bool Admits(int grade) => Grades.Contains(grade);

    /// <summary>"1-3", or "3-5"; a list where the grades are not a run.</summary>
    public string GradesText => Grades.Count > 1 && Grades[^1] - Grades[0] == Grades.Count - 1 ? $"{Grades[0]}-{Grades[^1]}" : string.Join(", ", Grades);
}

/// <summary>
/// The CTCAE v5.0 terms a request may name (case-insensitive, trimmed). The published list is
/// <c>Terminology/ctcae-v5.json</c>; a hospital adds its own by configuration (Ctcae:Additions).
/// </summary>
public sealed class CtcaeTerms
{
    private readonly Dictionary<string, CtcaeTerm> _byTerm = new(StringComparer.OrdinalIgnoreCase);

    public static CtcaeTerms Published { get; } = new(TerminologyData.Read<CtcaeFile>("ctcae-v5.json").Terms);

    public IReadOnlyList<CtcaeTerm> Terms { get; }

    public CtcaeTerms(IEnumerable<CtcaeTerm> terms)
    {
        Terms = terms.ToList();
        foreach (var term in Terms) _byTerm.TryAdd(term.Term.Trim(), term);
    }

    public CtcaeTerms With(IEnumerable<CtcaeTerm> additions) => new([.. Terms, .. additions]);

    public CtcaeTerm? Find(string? term) => string.IsNullOrWhiteSpace(term) ? null : _byTerm.GetValueOrDefault(term.Trim());

    private sealed record CtcaeFile(IReadOnlyList<CtcaeTerm> Terms);
}
