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
    private const string Loinc = "http://loinc.org";
    public const string Ucum = "http://unitsofmeasure.org";

    private readonly Dictionary<string, ChemoRegimenStarted> _regimens;

    /// <param name="events">The patient's events in clinical order, as of the export's date.</param>
    public FhirEntries(Bundle bundle, ResourceReference subject, IReadOnlyList<ClinicalEvent> events)
    {
        Bundle = bundle;
        Subject = subject;
        _regimens = events.OfType<ChemoRegimenStarted>().ToDictionary(r => r.RegimenId);
        Responses = ResponseHistory.Derive(events);
    }

    public Bundle Bundle { get; }
    public ResourceReference Subject { get; }

    public void Add(Guid id, Resource resource) => Bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = Urn(id), Resource = resource });

    public string RegimenName(string regimenId) => _regimens.TryGetValue(regimenId, out var r) ? r.Name : regimenId;

    /// <summary>The responses the journey derives from these events (a CT's RECIST, a PET/CT's EORTC).</summary>
    public ResponseHistory Responses { get; }

    public Condition Condition(DiagnosisConfirmed d, string text, string? site, string role) => new()
    {
        ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
        VerificationStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"),
        Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item")],
        Code = new CodeableConcept { Text = text },
        BodySite = site is null ? [] : [new CodeableConcept { Text = site }],
        Subject = Subject,
        Onset = new FhirDateTime(ClinicalCodes.Date(d.OccurredOn)),
        Note = [new Annotation { Text = role }],
    };

    // ECOG performance status: LOINC 89247-1.
    public Observation Ecog(DateOnly on, int ecog) => new()
    {
        Status = ObservationStatus.Final,
        Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "survey")],
        Code = new CodeableConcept(Loinc, "89247-1", "ECOG Performance Status score"),
        Subject = Subject,
        Effective = new FhirDateTime(ClinicalCodes.Date(on)),
        Value = new Integer(ecog),
    };

    public DiagnosticReport Report(DateOnly on, string title, string? impression, string? response, List<ResourceReference> results) => new()
    {
        Status = DiagnosticReport.DiagnosticReportStatus.Final,
        Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/v2-0074", "RAD")],
        Code = new CodeableConcept { Text = title },
        Subject = Subject,
        Effective = new FhirDateTime(ClinicalCodes.Date(on)),
        Result = results,
        Conclusion = string.Join("; ", new[] { impression, response }.Where(x => x is not null)) is { Length: > 0 } c ? c : null,
        ConclusionCode = response is null ? [] : [new CodeableConcept { Text = response }],
    };

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
