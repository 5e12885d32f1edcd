using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PatientJourney.Contracts.Terminology;

namespace PatientJourney.DepartmentKit;

/// <summary>
/// The terminology a department checks its requests against: the published formulary and CTCAE v5.0 terms, and what
/// the hospital adds by configuration (a local drug, a CTCAE term the published list leaves out):
/// <c>Formulary:Additions:0:Name</c>, <c>:RxNorm</c>, <c>:Atc</c>, <c>:Synonyms:0</c>, <c>:Anthracycline</c>,
/// <c>:DoxorubicinEquivalence</c>, <c>:Liposomal</c>; <c>Ctcae:Additions:0:Term</c>, <c>:MeddraCode</c>, <c>:Grades:0</c>.
/// </summary>
public static class HospitalTerminology
{
    /// <summary>The department's terminology, for its endpoints to decide with (the published one in a host that added none).</summary>
    public static ClinicalTerminology Terminology(this IEndpointRouteBuilder app) =>
        app.ServiceProvider.GetService<ClinicalTerminology>() ?? ClinicalTerminology.Published;

    public static ClinicalTerminology From(IConfiguration configuration)
    {
        var drugs = configuration.GetSection("Formulary:Additions").Get<DrugAddition[]>() ?? [];
        var terms = configuration.GetSection("Ctcae:Additions").Get<TermAddition[]>() ?? [];
        if (drugs.Length == 0 && terms.Length == 0) return ClinicalTerminology.Published;
        return new ClinicalTerminology(
            Formulary.Published.With(drugs.Select((d, i) => d.ToDrug(i))),
            CtcaeTerms.Published.With(terms.Select((t, i) => t.ToTerm(i))));
    }

    // Bound from configuration, so plain settable classes; a malformed addition stops the service at start.
    private sealed class DrugAddition
    {
        public string? Name { get; set; }
        public string? RxNorm { get; set; }
        public string? Atc { get; set; }
        public string[] Synonyms { get; set; } = [];
        public bool Anthracycline { get; set; }
        public decimal? DoxorubicinEquivalence { get; set; }
        public bool Liposomal { get; set; }

        public FormularyDrug ToDrug(int index) => new()
        {
            Name = string.IsNullOrWhiteSpace(Name) ? throw new InvalidOperationException($"Formulary:Additions:{index}:Name is required") : Name.Trim(),
            RxNorm = RxNorm,
            Atc = Atc,
            Synonyms = Synonyms,
            Anthracycline = Anthracycline || DoxorubicinEquivalence is not null || Liposomal,
            DoxorubicinEquivalence = DoxorubicinEquivalence is <= 0 ? throw new InvalidOperationException($"Formulary:Additions:{index}:DoxorubicinEquivalence must be above 0") : DoxorubicinEquivalence,
            Liposomal = Liposomal,
        };
    }

    private sealed class TermAddition
    {
        public string? Term { get; set; }
        public string? MeddraCode { get; set; }
        public int[] Grades { get; set; } = [];

        public CtcaeTerm ToTerm(int index) => new()
        {
            Term = string.IsNullOrWhiteSpace(Term) ? throw new InvalidOperationException($"Ctcae:Additions:{index}:Term is required") : Term.Trim(),
            MeddraCode = MeddraCode ?? throw new InvalidOperationException($"Ctcae:Additions:{index}:MeddraCode is required"),
            Grades = Grades.Length > 0 && Grades.All(g => g is >= 1 and <= 5)
                ? Grades.Order().Distinct().ToList()
                : throw new InvalidOperationException($"Ctcae:Additions:{index}:Grades must list grades 1-5"),
        };
    }
}
