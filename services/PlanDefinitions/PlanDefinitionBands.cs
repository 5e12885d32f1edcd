using System.Globalization;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using static PatientJourney.PlanDefinitions.PlanDefinitionCodes;

namespace PatientJourney.PlanDefinitions;

/// <summary>Reading an action's timing (months, years since the start, the first due) and an applicability condition's band.</summary>
public static partial class PlanDefinitionImport
{
    private sealed record TimingBand(string Kind, int? IntervalMonths, int FromYear, int? ToYear, int? FirstDueMonths);

    private static TimingBand? ReadBand(PlanDefinition.ActionComponent action, string path, List<(string, string)> problems)
    {
        var before = problems.Count;
        var kind = action.Code.Select(KindOf).FirstOrDefault(k => k is not null);
        if (kind is null) problems.Add(($"{path}.code", $"needs a coding of {ItemKindSystem}"));
        else if (!SurveillanceItemKinds.Repeating.Contains(kind))
            problems.Add(($"{path}.code", $"'{kind}' is not a kind the engine schedules: one of {string.Join(", ", SurveillanceItemKinds.Repeating)}"));

        var timingPath = $"{path}.timingTiming";
        if (action.Timing is not Timing { Repeat: { } repeat } timing)
        {
            problems.Add((timingPath, "is required: a Timing whose repeat is every n months (period, periodUnit mo), or count 1 for a single item"));
            return null;
        }
        int? intervalMonths = null;
        if (repeat.Period is null)
        {
            if (repeat.Count != 1) problems.Add(($"{timingPath}.repeat", "needs period and periodUnit (every n months), or count 1 for a single item"));
        }
        else
        {
            if (repeat.Count is not null) problems.Add(($"{timingPath}.repeat.count", "a repeating item has no count: the years band bounds it"));
            if (repeat.Frequency is not (null or 1)) problems.Add(($"{timingPath}.repeat.frequency", "must be 1: one item a period"));
            if (repeat.PeriodMax is not null) problems.Add(($"{timingPath}.repeat.periodMax", "is not computable: one interval a band"));
            intervalMonths = Months(repeat.Period, repeat.PeriodUnit?.GetLiteral(), $"{timingPath}.repeat.period", $"{timingPath}.repeat.periodUnit", problems);
            if (intervalMonths is { } m && (m < ClinicalLimits.OverrideIntervalMonths.Min || m > ClinicalLimits.OverrideIntervalMonths.Max))
                problems.Add(($"{timingPath}.repeat.period", $"must be {ClinicalLimits.OverrideIntervalMonths.Min} to {ClinicalLimits.OverrideIntervalMonths.Max} months"));
        }
        if (repeat.Bounds is not null) problems.Add(($"{timingPath}.repeat.bounds[x]", $"is not how the years band is given: use the extension {YearsSinceStart}"));

        int fromYear = 0;
        int? toYear = null;
        if (timing.GetExtension(YearsSinceStart) is { } years)
        {
            if (years.Value is Hl7.Fhir.Model.Range { Low: { } low } range && WholeYears(low) is { } from && (range.High is null || WholeYears(range.High) is not null))
            {
                fromYear = from;
                toYear = range.High is null ? null : WholeYears(range.High);
                if (fromYear < 0 || toYear <= fromYear) problems.Add(($"{timingPath}.extension", "the years band must be [low, high) with 0 <= low < high"));
            }
            else problems.Add(($"{timingPath}.extension", $"{YearsSinceStart} is a valueRange of whole years (unit a), low required"));
        }
        int? firstDue = null;
        if (timing.GetExtension(FirstDue) is { } due)
        {
            if (due.Value is Duration { Value: { } value } duration) firstDue = Months(value, duration.Code ?? duration.Unit, $"{timingPath}.extension", $"{timingPath}.extension", problems);
            else problems.Add(($"{timingPath}.extension", $"{FirstDue} is a valueDuration in months (mo)"));
        }
        return problems.Count > before ? null : new TimingBand(kind!, intervalMonths, fromYear, toYear, firstDue);
    }

    /// <summary>Whole months, from months or years; weeks and days are refused (no whole number of months).</summary>
    private static int? Months(decimal? value, string? unit, string valuePath, string unitPath, List<(string, string)> problems)
    {
        var months = unit switch { "mo" => value, "a" => value * 12, _ => null };
        if (unit is not ("mo" or "a")) problems.Add((unitPath, $"unit '{unit}' is not computable: mo or a (whole months)"));
        else if (months is not { } m || m != decimal.Truncate(m) || m < 0) problems.Add((valuePath, "must be a whole number of months"));
        else return (int)m;
        return null;
    }

    private static int? WholeYears(Quantity quantity) =>
        (quantity.Code ?? quantity.Unit) == "a" && quantity.Value is { } v && v == decimal.Truncate(v) ? (int)v : null;

    private static bool IsWhole(decimal? value) => value is null || value == decimal.Truncate(value.Value);

    private sealed record ConditionBand(string Variable, decimal? AtLeast, decimal? Below);

    [GeneratedRegex(@"^%(?<v>[A-Za-z][A-Za-z0-9]*) (?<op>>=|<) (?<n>\d+(\.\d+)?)$")]
    private static partial Regex Term();

    /// <summary>"%v >= low", "%v < high" or both joined by "and", over one variable.</summary>
    private static ConditionBand? Band(string? expression)
    {
        if (string.IsNullOrWhiteSpace(expression)) return null;
        string? variable = null;
        decimal? atLeast = null, below = null;
        foreach (var term in expression.Split(" and "))
        {
            var match = Term().Match(term.Trim());
            if (!match.Success || (variable is not null && variable != match.Groups["v"].Value)) return null;
            variable = match.Groups["v"].Value;
            var n = decimal.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
            if (match.Groups["op"].Value == ">=") { if (atLeast is not null) return null; atLeast = n; }
            else { if (below is not null) return null; below = n; }
        }
        return variable is null ? null : new ConditionBand(variable, atLeast, below);
    }
}
