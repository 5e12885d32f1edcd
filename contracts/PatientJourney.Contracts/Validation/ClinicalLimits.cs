namespace PatientJourney.Contracts;

/// <summary>
/// The bounds of the contract's clinical values, written once: a department checks its requests against them, and the
/// journey checks every event the bus brings against them (<see cref="ClinicalEvent.Validate"/>). Upper bounds are
/// far above any real value but below arithmetic overflow; where a source sets the bound, it is named.
/// </summary>
public static class ClinicalLimits
{
    public static readonly DateOnly EarliestClinicalDate = new(1900, 1, 1);

    // Text lengths.
    public const int Id = 64;
    public const int Code = 100;
    public const int ShortText = 200;
    public const int MediumText = 500;
    public const int Reason = 2000;
    public const int LongText = 4000;
    /// <summary>Who recorded a fact: a token subject.</summary>
    public const int RecordedBy = 256;

    /// <summary>ECOG performance status 0-5 (Oken et al., Am J Clin Oncol 1982; 5 = dead).</summary>
    public static readonly (int Min, int Max) Ecog = (0, 5);
    /// <summary>CTCAE v5.0 grades 1-5.</summary>
    public static readonly (int Min, int Max) CtcaeGrade = (1, 5);

    public static readonly (decimal Min, decimal Max) HeightCm = (30m, 250m);
    public static readonly (decimal Min, decimal Max) WeightKg = (1m, 400m);
    /// <summary>Body surface area as computed from the height and weight bounds, by either formula.</summary>
    public static readonly (decimal Min, decimal Max) BsaM2 = (0.01m, 10m);
    public static readonly (int Min, int Max) CycleLengthDays = (1, 365);
    public static readonly (int Min, int Max) CycleNumber = (1, 100);
    public static readonly (decimal Min, decimal Max) DoseReductionPercent = (0m, 99m);
    // High-dose methotrexate is 12 g/m2: these are far above any real dose.
    public static readonly (decimal Min, decimal Max) DosePerM2Mg = (0.001m, 50_000m);
    public static readonly (decimal Min, decimal Max) DoseMg = (0.001m, 100_000m);
    public static readonly (decimal Min, decimal Max) DoseMicrograms = (0.001m, 10_000_000m);
    /// <summary>What a cycle or a procedure gave of one drug, or a regimen's cumulative doxorubicin, in mg (or mg/m2).</summary>
    public static readonly (decimal Min, decimal Max) GivenMg = (0m, 10_000_000m);
    public static readonly (decimal Min, decimal Max) TaceDoseMg = (0.001m, 10_000m);

    public static readonly (int Min, int Max) PlannedSessions = (1, 50);
    public static readonly (int Min, int Max) PlannedIntervalMonths = (0, 60);

    public static readonly (decimal Min, decimal Max) LesionMm = (0m, 1000m);
    public static readonly (decimal Min, decimal Max) AblatedLesionMm = (0.1m, 1000m);
    public static readonly (decimal Min, decimal Max) SuvMax = (0m, 200m);
    /// <summary>RECIST 1.1 (Eisenhauer et al., Eur J Cancer 2009, section 3.2): at most 5 target lesions.</summary>
    public const int MaxTargetLesions = 5;
    /// <summary>A sum of target diameters: five lesions at the largest diameter.</summary>
    public static readonly (decimal Min, decimal Max) SumOfDiametersMm = (0m, MaxTargetLesions * 1000m);
    /// <summary>A change from a baseline or nadir in percent; a nadir of 0 mm makes no percentage and is given as 0.</summary>
    public static readonly (decimal Min, decimal Max) ChangePercent = (-100m, 1_000_000m);

    /// <summary>Left ventricular ejection fraction in percent as an echocardiogram reports it.</summary>
    public static readonly (decimal Min, decimal Max) LvefPercent = (1m, 95m);
    /// <summary>Global longitudinal strain in percent, negative as reported (normal about -20 %; 0 would be no shortening).</summary>
    public static readonly (decimal Min, decimal Max) GlobalLongitudinalStrainPercent = (-40m, -0.1m);
    /// <summary>A navigator's interval for one kind of item: a month to ten years.</summary>
    public static readonly (int Min, int Max) OverrideIntervalMonths = (1, 120);

    public static readonly (int Min, int Max) AblationCycles = (1, 50);
    public static readonly (decimal Min, decimal Max) TargetTemperatureC = (30m, 150m);
    public static readonly (decimal Min, decimal Max) CycleMinutes = (0.1m, 240m);
}
