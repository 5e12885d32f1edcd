using Hl7.Fhir.Model;
using PatientJourney.Contracts;
using PatientJourney.Contracts.Chemotherapy;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.Journey.Responses;

namespace PatientJourney.Journey.Catalogue;

/// <summary>
/// The FHIR R4 bundle being written for one patient, and how the journey writes its resources: what each event type
/// adds is in its catalogue entry. Entries are urn:uuid fullUrls derived from the event ids, so the same events export
/// the same bundle.
/// </summary>
public sealed class FhirEntries
{
    private readonly Dictionary<string, ChemoRegimenStarted> _regimens;
    private readonly DiagnosisConfirmed? _diagnosis;

    /// <param name="events">The patient's events in clinical order, as of the export's date.</param>
    public FhirEntries(Bundle bundle, ResourceReference subject, IReadOnlyList<ClinicalEvent> events)
    {
        Bundle = bundle;
        Subject = subject;
        _regimens = events.OfType<ChemoRegimenStarted>().ToDictionary(r => r.RegimenId);
        _diagnosis = events.OfType<DiagnosisConfirmed>().LastOrDefault();
        Responses = ResponseHistory.Derive(events);
    }

    public Bundle Bundle { get; }
    public ResourceReference Subject { get; }

    public void Add(Guid id, Resource resource) => Bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = Urn(id), Resource = resource });

    public string RegimenName(string regimenId) => _regimens.TryGetValue(regimenId, out var r) ? r.Name : regimenId;

    /// <summary>The cycle days a regimen gives a drug on (1 is the cycle's first day); none when the regimen does not list it.</summary>
    public IReadOnlyList<int> CycleDays(string regimenId, string drug) =>
        _regimens.TryGetValue(regimenId, out var r) && r.Drugs.FirstOrDefault(d => string.Equals(d.Drug, drug, StringComparison.OrdinalIgnoreCase)) is { } given
            ? given.Days : [];

    /// <summary>The responses the journey derives from these events (a CT's RECIST, a PET/CT's EORTC).</summary>
    public ResponseHistory Responses { get; }

    /// <summary>The primary cancer condition, what mCODE's treatments and disease statuses refer to; none before a diagnosis.</summary>
    public ResourceReference? PrimaryCancer => _diagnosis is null ? null : new ResourceReference(Urn(_diagnosis.EventId));

    /// <summary>The primary and every secondary cancer condition.</summary>
    public List<ResourceReference> CancerConditions => _diagnosis is not { } d ? []
        : [new ResourceReference(Urn(d.EventId)), .. d.MetastaticSites.Select((_, i) => new ResourceReference(Urn(SecondaryId(d, i))))];

    public static Guid SecondaryId(DiagnosisConfirmed d, int index) => DeterministicId($"{d.EventId}/secondary/{index}");

    // mCODE STU4 PrimaryCancerCondition: histology-morphology-behavior (SNOMED CT, ICD-O-3), ICD-10-CM where the site allows one.
    public Condition PrimaryCondition(DiagnosisConfirmed d, string text)
    {
        var histology = McodeCodes.HistologyOf(d.Histology);
        var unknownSite = d.PrimarySite is null || ReferenceEquals(McodeCodes.SiteOf(d.PrimarySite), McodeCodes.UnknownPrimary);
        var code = new CodeableConcept { Text = text };
        if (unknownSite && histology?.UnknownPrimaryIcd10Cm is { } icd) code.Coding.Add(icd);
        var condition = CancerCondition(d, McodeCodes.PrimaryCancerCondition, code, d.PrimarySite);
        if (histology is not null)
            condition.Extension.Add(new Extension(McodeCodes.HistologyMorphologyBehavior,
                new CodeableConcept { Coding = [histology.Snomed, histology.IcdO3], Text = d.Histology }));
        return condition;
    }

    // mCODE STU4 SecondaryCancerCondition: the site's secondary neoplasm (SNOMED CT, ICD-10-CM), related to the primary.
    public Condition SecondaryCondition(DiagnosisConfirmed d, int index)
    {
        var site = d.MetastaticSites[index];
        var code = new CodeableConcept { Text = $"Secondary malignant neoplasm: {d.Histology}" };
        if (McodeCodes.SiteOf(site) is { } coded)
            code.Coding.AddRange(new[] { coded.SecondaryDisorder, coded.SecondaryNeoplasm }.OfType<Coding>());
        var condition = CancerCondition(d, McodeCodes.SecondaryCancerCondition, code, site);
        condition.Extension.Add(new Extension(McodeCodes.ConditionRelated, new ResourceReference(Urn(d.EventId))));
        return condition;
    }

    private Condition CancerCondition(DiagnosisConfirmed d, string profile, CodeableConcept code, string? site) => new()
    {
        Meta = McodeCodes.Profile(profile),
        Extension = [new Extension(McodeCodes.AssertedDate, new FhirDateTime(ClinicalCodes.Date(d.OccurredOn)))],
        ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
        VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"),
        Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item")],
        Code = code,
        BodySite = site is null ? [] : [McodeCodes.BodySite(site)],
        Subject = Subject,
        Onset = new FhirDateTime(ClinicalCodes.Date(d.OccurredOn)),
        RecordedDate = ClinicalCodes.Date(d.OccurredOn),
    };

    // mCODE STU4 ECOGPerformanceStatus: LOINC 89247-1, the score as an integer, its LOINC answer as interpretation.
    public Observation Ecog(DateOnly on, int ecog) => new()
    {
        Meta = McodeCodes.Profile(McodeCodes.EcogPerformanceStatus),
        Status = ObservationStatus.Final,
        Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "survey")],
        Code = new CodeableConcept { Coding = [McodeCodes.EcogScore] },
        Subject = Subject,
        Effective = new FhirDateTime(ClinicalCodes.Date(on)),
        Value = new Integer(ecog),
        Interpretation = [new CodeableConcept { Coding = [McodeCodes.EcogAnswer(ecog)] }],
    };

    /// <summary>
    /// mCODE STU4 CancerDiseaseStatus for a scan's response: the trend coded from ConditionStatusTrendVS, the criteria's
    /// category (RECIST 1.1 PR, EORTC CMR) as the value's text, the criteria as method, imaging as the evidence.
    /// </summary>
    private Observation DiseaseStatus(DateOnly on, ScanResponse response) => new()
    {
        Meta = McodeCodes.Profile(McodeCodes.CancerDiseaseStatus),
        Extension = [new Extension(McodeCodes.EvidenceType, new CodeableConcept { Coding = [McodeCodes.Imaging] })],
        Status = ObservationStatus.Final,
        Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "imaging")],
        Code = new CodeableConcept { Coding = [McodeCodes.DiseaseProgression] },
        Subject = Subject,
        Focus = CancerConditions,
        Effective = new FhirDateTime(ClinicalCodes.Date(on)),
        Value = new CodeableConcept { Coding = [response.Trend], Text = response.ToString() },
        Method = new CodeableConcept { Text = response.Criteria },
    };

    /// <summary>A scan's response by its criteria: "RECIST 1.1" and "PR", the trend mCODE codes it as.</summary>
    public sealed record ScanResponse(string Criteria, string Category, Coding Trend)
    {
        public override string ToString() => $"{Criteria} {Category}";
    }

    /// <summary>A scan's report with its results, and its response, when it has one, as a disease status among them.</summary>
    public void AddScanReport(Guid scanEventId, DateOnly on, CodeableConcept study, string? impression, List<ResourceReference> results, ScanResponse? response)
    {
        if (response is not null)
        {
            var status = DeterministicId($"{scanEventId}/disease-status");
            Add(status, DiseaseStatus(on, response));
            results.Add(new ResourceReference(Urn(status)));
        }
        Add(scanEventId, new DiagnosticReport
        {
            Status = DiagnosticReport.DiagnosticReportStatus.Final,
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/v2-0074", "RAD")],
            Code = study,
            Subject = Subject,
            Effective = new FhirDateTime(ClinicalCodes.Date(on)),
            Result = results,
            Conclusion = string.Join("; ", new[] { impression, response?.ToString() }.Where(x => x is not null)) is { Length: > 0 } c ? c : null,
            ConclusionCode = response is null ? [] : [new CodeableConcept { Coding = [response.Trend], Text = response.ToString() }],
        });
    }

    public static string Urn(Guid id) => $"urn:uuid:{id}";

    /// <summary>A stable UUID for a resource derived from an event (name-based, SHA-256 truncated, version bits set).</summary>
    public static Guid DeterministicId(string name)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8 (custom)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
