using Hl7.Fhir.Model;
using PatientJourney.Contracts.Imaging;
using PatientJourney.Contracts.Terminology;

namespace PatientJourney.Journey.Catalogue;

/// <summary>
/// The code systems, mCODE STU4 profiles and codes the FHIR export writes, in one place. Every code is one a public
/// source confirms with its display (docs/audit.md names them); what no source confirmed stays text.
/// </summary>
public static class McodeCodes
{
    public const string Snomed = "http://snomed.info/sct";
    public const string Loinc = "http://loinc.org";
    public const string Icd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";
    public const string IcdO3 = "http://terminology.hl7.org/CodeSystem/icd-o-3";
    public const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
    public const string Ucum = "http://unitsofmeasure.org";

    private const string Mcode = "http://hl7.org/fhir/us/mcode/StructureDefinition/";
    public const string PrimaryCancerCondition = Mcode + "mcode-primary-cancer-condition";
    public const string SecondaryCancerCondition = Mcode + "mcode-secondary-cancer-condition";
    public const string CancerDiseaseStatus = Mcode + "mcode-cancer-disease-status";
    public const string EcogPerformanceStatus = Mcode + "mcode-ecog-performance-status";
    public const string CancerRelatedMedicationAdministration = Mcode + "mcode-cancer-related-medication-administration";
    public const string CancerRelatedSurgicalProcedure = Mcode + "mcode-cancer-related-surgical-procedure";
    public const string HistologyMorphologyBehavior = Mcode + "mcode-histology-morphology-behavior";
    public const string EvidenceType = Mcode + "mcode-evidence-type";
    // Core R4 extensions mCODE's conditions slice (assertedDate, relatedPrimaryCancerCondition).
    public const string AssertedDate = "http://hl7.org/fhir/StructureDefinition/condition-assertedDate";
    public const string ConditionRelated = "http://hl7.org/fhir/StructureDefinition/condition-related";

    public static Meta Profile(string profile) => new() { Profile = [profile] };

    // mCODE STU4 CancerDiseaseStatus: code fixed to LOINC 97509-4, value from ConditionStatusTrendVS (required).
    public static Coding DiseaseProgression => new(Loinc, "97509-4", "Cancer disease progression");
    public static Coding Improved => new(Snomed, "268910001", "Patient's condition improved (finding)");
    public static Coding Stable => new(Snomed, "359746009", "Patient's condition stable (finding)");
    public static Coding Worsened => new(Snomed, "271299001", "Patient's condition worsened (finding)");
    public static Coding Undetermined => new(Snomed, "709137006", "Patient condition undetermined (finding)");
    // CancerDiseaseStatusEvidenceTypeVS: the judgement rests on imaging.
    public static Coding Imaging => new(Snomed, "363679005", "Imaging (procedure)");

    /// <summary>A RECIST 1.1 category as a trend: a response improved, stable or non-CR/non-PD stable, PD worsened, NE undetermined.</summary>
    public static Coding Trend(RecistCategory category) => category switch
    {
        RecistCategory.CompleteResponse or RecistCategory.PartialResponse => Improved,
        RecistCategory.StableDisease or RecistCategory.NonCompleteNonProgressive => Stable,
        RecistCategory.ProgressiveDisease => Worsened,
        _ => Undetermined,
    };

    /// <summary>An EORTC PET category as a trend, as for RECIST.</summary>
    public static Coding Trend(MetabolicCategory category) => category switch
    {
        MetabolicCategory.CompleteMetabolicResponse or MetabolicCategory.PartialMetabolicResponse => Improved,
        MetabolicCategory.StableMetabolicDisease => Stable,
        MetabolicCategory.ProgressiveMetabolicDisease => Worsened,
        _ => Undetermined,
    };

    public static Coding EcogScore => new(Loinc, "89247-1", "ECOG Performance Status score");

    // LOINC answer list LL529-9, which mCODE binds ECOGPerformanceStatus.interpretation to (required).
    public static Coding EcogAnswer(int ecog) => ecog switch
    {
        0 => new(Loinc, "LA9622-7", "Fully active, able to carry on all pre-disease performance without restriction"),
        1 => new(Loinc, "LA9623-5", "Restricted in physically strenuous activity but ambulatory and able to carry out work of a light or sedentary nature, e.g., light house work, office work"),
        2 => new(Loinc, "LA9624-3", "Ambulatory and capable of all selfcare but unable to carry out any work activities. Up and about more than 50% of waking hours"),
        3 => new(Loinc, "LA9625-0", "Capable of only limited selfcare, confined to bed or chair more than 50% of waking hours"),
        4 => new(Loinc, "LA9626-8", "Completely disabled. Cannot carry on any selfcare. Totally confined to bed or chair"),
        5 => new(Loinc, "LA9627-6", "Dead"),
        _ => throw new ArgumentOutOfRangeException(nameof(ecog), ecog, "ECOG is 0-5"),
    };

    // mCODE CancerRelatedSurgicalProcedure fixes category to SNOMED 387713003.
    public static Coding SurgicalProcedure => new(Snomed, "387713003", "Surgical procedure (procedure)");
    public static Coding RadiofrequencyAblation => new(Snomed, "879916008", "Radiofrequency ablation (procedure)");

    /// <summary>
    /// The SUVmax unit: a UCUM annotation, dimensionless. The reports do not say how the SUV was normalised (body weight,
    /// lean body mass), so not DICOM's {SUVbw}g/ml.
    /// </summary>
    public static Quantity Suv(decimal value) => new() { Value = value, Unit = "SUV", System = Ucum, Code = "{SUV}" };

    public static Quantity Mg(decimal value) => new(value, "mg", Ucum);

    /// <summary>The drug's RxNorm ingredient, from the event or, for events before the formulary, the published formulary by name.</summary>
    public static CodeableConcept Medication(string drug, string? rxNorm)
    {
        var found = Formulary.Published.Find(rxNorm ?? drug);
        var code = rxNorm ?? found?.RxNorm;
        var concept = new CodeableConcept { Text = drug };
        if (code is not null) concept.Coding.Add(new Coding(RxNorm, code, found?.Name ?? drug));
        return concept;
    }

    /// <summary>The CT study in LOINC (RSNA radiology playbook) where a source confirmed one: abdomen and pelvis with IV contrast.</summary>
    public static CodeableConcept CtStudy(string region, bool? contrast)
    {
        var concept = new CodeableConcept { Text = $"CT {region}" };
        if (region == "abdomen-pelvis" && contrast == true) concept.Coding.Add(new Coding(Loinc, "36813-4", "CT Abdomen and Pelvis W contrast IV"));
        return concept;
    }

    /// <summary>A histology the pathology names, coded in SNOMED CT (morphology) and ICD-O-3 (morphology/behaviour).</summary>
    public sealed record Histology(Coding Snomed, Coding IcdO3, Coding? UnknownPrimaryIcd10Cm);

    private static readonly (string Keyword, Histology Histology)[] Histologies =
    [
        ("leiomyosarcoma", new Histology(
            new Coding(Snomed, "1163022006", "Leiomyosarcoma (morphologic abnormality)"),
            new Coding(IcdO3, "8890/3", "Leiomyosarcoma, NOS"),
            // A soft-tissue sarcoma whose primary site is not known: connective and soft tissue, unspecified.
            new Coding(Icd10Cm, "C49.9", "Malignant neoplasm of connective and soft tissue, unspecified"))),
    ];

    public static Histology? HistologyOf(string histology) =>
        Histologies.FirstOrDefault(h => histology.Contains(h.Keyword, StringComparison.OrdinalIgnoreCase)).Histology;

    /// <summary>
    /// A site the pathology or a procedure names: SNOMED CT body structure, ICD-O-3 topography, and the secondary
    /// neoplasm there in ICD-10-CM and, where a source confirmed one, SNOMED CT.
    /// </summary>
    public sealed record Site(Coding? BodyStructure, Coding Topography, Coding? SecondaryNeoplasm, Coding? SecondaryDisorder = null);

    public static readonly Site UnknownPrimary = new(null, new Coding(IcdO3, "C80.9", "Unknown primary site"), null);

    // Lymph nodes before organs: "retroperitoneal lymph node near the liver" is a node.
    private static readonly (Func<string, bool> Names, Site Site)[] Sites =
    [
        (t => t.Contains("supraclavicular") && t.Contains("node"), new Site(
            new Coding(Snomed, "76838003", "Structure of supraclavicular lymph node"),
            new Coding(IcdO3, "C77.0", "Lymph nodes of head, face and neck"),
            new Coding(Icd10Cm, "C77.0", "Secondary and unspecified malignant neoplasm of lymph nodes of head, face and neck"))),
        (t => t.Contains("retroperitoneal") && t.Contains("node"), new Site(
            new Coding(Snomed, "91394001", "Structure of retroperitoneal lymph node (body structure)"),
            new Coding(IcdO3, "C77.2", "Intra-abdominal lymph nodes"),
            new Coding(Icd10Cm, "C77.2", "Secondary and unspecified malignant neoplasm of intra-abdominal lymph nodes"))),
        (t => t.Contains("liver") || t.Contains("hepatic"), new Site(
            new Coding(Snomed, "10200004", "Liver structure"),
            new Coding(IcdO3, "C22.0", "Liver"),
            new Coding(Icd10Cm, "C78.7", "Secondary malignant neoplasm of liver and intrahepatic bile duct"),
            new Coding(Snomed, "94381002", "Secondary malignant neoplasm of liver"))),
        (t => t.Trim() is "unknown" or "unknown primary", UnknownPrimary),
    ];

    public static Site? SiteOf(string? text) =>
        text is null ? null : Sites.FirstOrDefault(s => s.Names(text.ToLowerInvariant())).Site;

    /// <summary>The site's text with its body structure and topography codings.</summary>
    public static CodeableConcept BodySite(string text)
    {
        var concept = new CodeableConcept { Text = text };
        if (SiteOf(text) is { } site)
        {
            if (site.BodyStructure is { } structure) concept.Coding.Add(structure);
            concept.Coding.Add(site.Topography);
        }
        return concept;
    }
}
