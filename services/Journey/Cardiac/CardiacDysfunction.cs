using PatientJourney.Contracts;
using PatientJourney.Contracts.Imaging;

namespace PatientJourney.Journey.Cardiac;

[System.Text.Json.Serialization.JsonConverter(typeof(ContractEnumConverter<CtrcdSeverity>))]
public enum CtrcdSeverity
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("mild")] Mild,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("moderate")] Moderate,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("severe")] Severe,
}

/// <summary>
/// One echocardiogram read against the patient's first one (the reference): the LVEF fall in percentage points and the
/// relative fall of global longitudinal strain, and the asymptomatic CTRCD grade they meet (null: none).
/// </summary>
public sealed record EchocardiogramAssessment(
    DateOnly PerformedOn, decimal LvefPercent, decimal? GlobalLongitudinalStrainPercent, Guid EventId,
    DateOnly? ReferenceOn, decimal? LvefFallPoints, decimal? GlsRelativeFallPercent, CtrcdSeverity? Ctrcd);

/// <summary>
/// Asymptomatic cancer therapy-related cardiac dysfunction as the 2022 ESC cardio-oncology guideline defines it (Lyon et
/// al., Eur Heart J 2022;43:4229-4361, section 3, table 3; the International Cardio-Oncology Society definitions,
/// Herrmann et al., Eur Heart J 2022;43:280-299), from LVEF and GLS (cardiac biomarkers are not in the contract):
/// severe: a new LVEF under 40 %; moderate: a new LVEF of 40-49 % that fell 10 points or more, or fell less with a
/// relative GLS fall over 15 %; mild: LVEF 50 % or more with a relative GLS fall over 15 %. "New" is against the patient's
/// first echocardiogram in clinical order (ideally before treatment): the first is the reference and is never graded.
/// </summary>
public static class CardiacDysfunction
{
    public const decimal SevereBelowLvef = 40m;
    public const decimal NormalLvefFrom = 50m;
    public const decimal ModerateFallPoints = 10m;
    public const decimal GlsRelativeFallOverPercent = 15m;

    /// <param name="ordered">The patient's standing events in clinical order.</param>
    public static IReadOnlyList<EchocardiogramAssessment> Assess(IEnumerable<ClinicalEvent> ordered)
    {
        var echoes = ordered.OfType<EchocardiogramResulted>().ToList();
        if (echoes.Count == 0) return [];
        var reference = echoes[0];
        var assessed = new List<EchocardiogramAssessment>(echoes.Count)
        {
            new(reference.OccurredOn, reference.LvefPercent, reference.GlobalLongitudinalStrainPercent, reference.EventId, null, null, null, null),
        };
        foreach (var echo in echoes.Skip(1))
        {
            var fall = reference.LvefPercent - echo.LvefPercent;
            var glsFall = GlsRelativeFall(reference.GlobalLongitudinalStrainPercent, echo.GlobalLongitudinalStrainPercent);
            assessed.Add(new EchocardiogramAssessment(echo.OccurredOn, echo.LvefPercent, echo.GlobalLongitudinalStrainPercent, echo.EventId,
                reference.OccurredOn, fall, glsFall is { } g ? Math.Round(g, 1) : null, Grade(reference, echo)));
        }
        return assessed;
    }

    /// <summary>The grade the guideline's definitions give, comparing the measurements themselves (never a rounded percentage).</summary>
    public static CtrcdSeverity? Grade(EchocardiogramResulted reference, EchocardiogramResulted echo)
    {
        var lvef = echo.LvefPercent;
        var fall = reference.LvefPercent - lvef;
        var glsFell = GlsFellOver15Percent(reference.GlobalLongitudinalStrainPercent, echo.GlobalLongitudinalStrainPercent);
        // "New": a value under 40 % the reference already had is not a change the treatment made.
        if (lvef < SevereBelowLvef) return reference.LvefPercent >= SevereBelowLvef ? CtrcdSeverity.Severe : null;
        if (lvef < NormalLvefFrom)
            return fall >= ModerateFallPoints || (fall > 0m && glsFell) ? CtrcdSeverity.Moderate : null;
        return glsFell ? CtrcdSeverity.Mild : null;
    }

    // GLS is negative: its magnitude falling is the deterioration. Over 15 %: |ref| - |now| > 0.15 |ref|, exactly.
    private static bool GlsFellOver15Percent(decimal? reference, decimal? now) =>
        reference is { } r && now is { } n && (Math.Abs(r) - Math.Abs(n)) * 100m > GlsRelativeFallOverPercent * Math.Abs(r);

    private static decimal? GlsRelativeFall(decimal? reference, decimal? now) =>
        reference is { } r && now is { } n && r != 0m ? (Math.Abs(r) - Math.Abs(n)) * 100m / Math.Abs(r) : null;
}
