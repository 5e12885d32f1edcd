using System.Globalization;
using PatientJourney.Contracts.Imaging;

namespace PatientJourney.Journey.Responses;

/// <summary>The line a derived response makes in the journey: categories and measures only.</summary>
public static class ResponseSummaries
{
    public static string Recist(RecistAssessment r)
    {
        var parts = new List<string> { $"RECIST 1.1 {Code(r.Category)}" };
        if (r.TargetResponse is not null)
            parts.Add(r.ChangeFromBaselinePercent is { } fromBaseline
                ? $"sum {Num(r.SumOfDiametersMm)} mm, {Num(fromBaseline)}% from baseline, " + (r.ChangeFromNadirPercent is { } fromNadir ? $"{Num(fromNadir)}% from nadir" : "nadir 0 mm")
                : $"targets {Code(r.TargetResponse.Value)}");
        if (r.NonTargetResponse is { } nonTarget) parts.Add($"non-targets {Code(nonTarget)}");
        if (r.NewLesions) parts.Add("new lesions");
        if (r.NotAssessed.Count > 0) parts.Add($"not assessed: {string.Join(", ", r.NotAssessed)}");
        return string.Join("; ", parts);
    }

    public static string Metabolic(MetabolicAssessment m)
    {
        var parts = new List<string>
        {
            $"EORTC {Code(m.Category)}" + (m.PeakChangePercent is { } change ? $": peak SUVmax {Num(m.PeakSuvMax)} ({Num(change)}% from staging)" : ""),
            $"{m.CyclesSinceBaseline} cycle(s) since staging",
        };
        var progressed = m.Lesions.Where(l => l.Status == MetabolicLesionStatus.Progressed).Select(l => l.LesionId).ToList();
        if (progressed.Count > 0) parts.Add($"progressed: {string.Join(", ", progressed)}");
        if (m.NewUptake) parts.Add("new uptake");
        return string.Join("; ", parts);
    }

    public static string Code(RecistCategory category) => category switch
    {
        RecistCategory.CompleteResponse => "CR",
        RecistCategory.PartialResponse => "PR",
        RecistCategory.StableDisease => "SD",
        RecistCategory.ProgressiveDisease => "PD",
        RecistCategory.NotEvaluable => "NE",
        _ => "NON-CR/NON-PD",
    };

    public static string Code(MetabolicCategory category) => category switch
    {
        MetabolicCategory.CompleteMetabolicResponse => "CMR",
        MetabolicCategory.PartialMetabolicResponse => "PMR",
        MetabolicCategory.StableMetabolicDisease => "SMD",
        MetabolicCategory.ProgressiveMetabolicDisease => "PMD",
        _ => "NE",
    };

    private static string Num(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
