using System.Text.Json;

namespace PatientJourney.Contracts.Terminology;

/// <summary>One medicine of the formulary: its canonical name, codes, synonyms and what it counts for in the cardiotoxic ledger.</summary>
public sealed record FormularyDrug
{
    public required string Name { get; init; }
    /// <summary>RxNorm ingredient CUI; null where the agent has none in the US or it was not confirmed.</summary>
    public string? RxNorm { get; init; }
    /// <summary>WHO ATC code.</summary>
    public string? Atc { get; init; }
    public IReadOnlyList<string> Synonyms { get; init; } = [];
    public bool Anthracycline { get; init; }
    /// <summary>mg/m2 of doxorubicin one mg/m2 of the drug counts for (doxorubicin 1); null: no published equivalence.</summary>
    public decimal? DoxorubicinEquivalence { get; init; }
    /// <summary>Pegylated liposomal doxorubicin: its own line of the ledger, in no doxorubicin total.</summary>
    public bool Liposomal { get; init; }

    /// <summary>Conventional doxorubicin, whatever name it was given.</summary>
    public bool IsDoxorubicin => !Liposomal && Atc == Formulary.DoxorubicinAtc;
}

/// <summary>
/// The drugs a request may name, by name, synonym (trimmed, case-insensitive) or code (RxNorm CUI or ATC). The
/// published list is <c>Terminology/formulary.json</c>; a hospital adds its own by configuration (Formulary:Additions).
/// </summary>
public sealed class Formulary
{
    public const string DoxorubicinAtc = "L01DB01";

    private readonly Dictionary<string, FormularyDrug> _byKey = new(StringComparer.OrdinalIgnoreCase);

    public static Formulary Published { get; } = new(TerminologyData.Read<FormularyFile>("formulary.json").Drugs);

    public IReadOnlyList<FormularyDrug> Drugs { get; }

    public Formulary(IEnumerable<FormularyDrug> drugs)
    {
        Drugs = drugs.ToList();
        // The first entry to claim a key keeps it: an ATC code names the conventional form (doxorubicin, not the
        // liposomal one, shares L01DB01), and a hospital's addition never takes a published name away.
        foreach (var drug in Drugs)
            foreach (var key in new[] { drug.Name, drug.RxNorm, drug.Atc }.Concat(drug.Synonyms))
                if (!string.IsNullOrWhiteSpace(key)) _byKey.TryAdd(Key(key), drug);
    }

    public Formulary With(IEnumerable<FormularyDrug> additions) => new([.. Drugs, .. additions]);

    public FormularyDrug? Find(string? nameOrCode) =>
        string.IsNullOrWhiteSpace(nameOrCode) ? null : _byKey.GetValueOrDefault(Key(nameOrCode));

    // "Doxorubicin  hydrochloride " is "doxorubicin hydrochloride".
    private static string Key(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private sealed record FormularyFile(IReadOnlyList<FormularyDrug> Drugs);
}

internal static class TerminologyData
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static T Read<T>(string name)
    {
        using var stream = typeof(TerminologyData).Assembly.GetManifestResourceStream($"PatientJourney.Contracts.Terminology.{name}")
            ?? throw new InvalidOperationException($"the contracts ship no {name}");
        return JsonSerializer.Deserialize<T>(stream, Options) ?? throw new InvalidOperationException($"{name} is empty");
    }
}
