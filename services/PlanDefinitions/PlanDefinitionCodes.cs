using Hl7.Fhir.Model;
using PatientJourney.Contracts.Diagnosis;

namespace PatientJourney.PlanDefinitions;

/// <summary>
/// The canonical URLs of the catalogue's PlanDefinitions, the code system of the item kinds, and the few extensions the
/// engine's schedules need where R4 has no element (docs/api-contract.md, "Computable schedules").
/// </summary>
public static class PlanDefinitionCodes
{
    /// <summary>One base for every canonical of ours; a PlanDefinition's url is {Base}/PlanDefinition/{id}.</summary>
    public const string Base = "https://patientjourney.example/fhir";

    public const string ItemKindSystem = Base + "/CodeSystem/surveillance-item-kind";

    /// <summary>
    /// On an action's timingTiming, valueRange in whole years ("a"): the interval is in force while whole years since the
    /// plan's start (a protocol) or the trigger (a rule) are in [low, high); no high: open-ended. Absent: from year 0 on.
    /// </summary>
    public const string YearsSinceStart = Base + "/StructureDefinition/surveillance-years-since-start";

    /// <summary>
    /// On a rule's action's timingTiming, valueDuration in months ("mo"): the first item falls due this long after the
    /// trigger; it starts a rule item (the actions after it of the same kind, without it, are its later intervals).
    /// A protocol's first item falls due one interval after the plan's start and carries none.
    /// </summary>
    public const string FirstDue = Base + "/StructureDefinition/surveillance-first-due";

    /// <summary>On a relatedArtifact (citation), valueString: the strength the guideline gives the recommendation.</summary>
    public const string GuidelineEvidence = Base + "/StructureDefinition/guideline-evidence";

    /// <summary>Variables of the applicability conditions (FHIRPath environment variables the journey computes).</summary>
    public const string CumulativeDoseVariable = "cumulativeDoxorubicinEquivalentMgPerM2";
    public const string AgeVariable = "ageAtFirstAnthracyclineYears";

    public const string Snomed = "http://snomed.info/sct";
    public const string PlanDefinitionTypeSystem = "http://terminology.hl7.org/CodeSystem/plan-definition-type";

    public static string UrlOf(string id) => $"{Base}/PlanDefinition/{id}";

    /// <summary>Our code for the kind, and SNOMED CT's where the concept is unambiguous.</summary>
    public static CodeableConcept Concept(string kind)
    {
        var concept = new CodeableConcept { Text = kind, Coding = [new Coding(ItemKindSystem, kind)] };
        var snomed = kind switch
        {
            SurveillanceItemKinds.Ct => new Coding(Snomed, "77477000", "Computerized axial tomography"),
            SurveillanceItemKinds.Echocardiogram => new Coding(Snomed, "40701008", "Echocardiography"),
            _ => null,
        };
        if (snomed is not null) concept.Coding.Add(snomed);
        return concept;
    }

    /// <summary>Our kind in a concept, whatever other codings sit beside it.</summary>
    public static string? KindOf(CodeableConcept? concept) => concept?.Coding.FirstOrDefault(c => c.System == ItemKindSystem)?.Code;
}
