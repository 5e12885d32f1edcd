using System.Net.Http.Json;
using System.Net;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using PatientJourney.IntegrationTests.Infrastructure;
using PatientJourney.Journey.Catalogue;

namespace PatientJourney.IntegrationTests.Audit;

public class FhirExportTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    private const string ObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";

    [Fact]
    public async System.Threading.Tasks.Task Seed_case_exports_as_an_R4_bundle_that_validates_against_the_base_profiles_with_no_error()
    {
        var bundle = await ExportSeedCaseAsync();

        var validator = R4CoreValidator();
        var outcome = validator.Validate(bundle);
        var errors = outcome.Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(15).Select(i => $"{string.Join(",", i.Expression ?? [])}: {i.Details?.Text}")));

        // The validator is not lenient: an Observation without its required status is an error.
        var broken = new Bundle { Type = Bundle.BundleType.Collection, Entry = [new Bundle.EntryComponent { FullUrl = $"urn:uuid:{Guid.NewGuid()}", Resource = new Observation { Code = new CodeableConcept { Text = "x" } } }] };
        Assert.Contains(validator.Validate(broken).Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error);

        int Count<T>() where T : Resource => bundle.Entry.Count(e => e.Resource is T);
        Assert.Equal(1, Count<Patient>());
        Assert.Equal(4, Count<Condition>());                   // the primary cancer and three secondary sites
        Assert.Equal(5 * 3 + 3, Count<MedicationAdministration>()); // three drugs a cycle, five cycles; three TACE doses
        Assert.Equal(4, Count<Procedure>());                   // three TACE, one RFA
        Assert.Equal(2 + 5, Count<DiagnosticReport>());        // two PET/CT and five CT by 2012-06-30
        var carePlan = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<CarePlan>());
        Assert.Contains(carePlan.Activity, a => a.Detail?.Code?.Text == "ct" && a.Detail?.StatusReason?.Text == "upcoming");
        // The plan instantiates its protocol's PlanDefinition; a done item's outcome is the completing event's entry.
        Assert.Contains(carePlan.InstantiatesCanonical, c => c != null && c.StartsWith("https://patientjourney.example/fhir/PlanDefinition/", StringComparison.Ordinal));
        var outcomes = carePlan.Activity.SelectMany(a => a.OutcomeReference).Where(r => r.Reference is not null).ToList();
        Assert.NotEmpty(outcomes);
        Assert.All(outcomes, r => Assert.Contains(bundle.Entry, e => e.FullUrl == r.Reference));
        Assert.Contains(bundle.Entry.Select(e => e.Resource).OfType<DiagnosticReport>(), r => r.ConclusionCode.Any(c => c.Text == "RECIST 1.1 PR"));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_booking_and_a_death_export_as_an_appointment_and_deceased_date_time_that_validate_with_no_error()
    {
        await system.PostAsync("diagnosis", "/patients", new { patientId = "FHIR-NAV", sex = "female", birthDate = "1950-01-01", occurredOn = "2020-01-01" });
        await system.PostAsync("diagnosis", "/patients/FHIR-NAV/surveillance-plans", new { startsOn = "2020-01-15", protocol = "ct-q3m-visits-q1m" });
        await DepartmentBus.PublishAsync(system.Isolation, Contracts.Departments.Diagnosis,
            new Contracts.Diagnosis.AppointmentBooked { PatientId = "FHIR-NAV", OccurredOn = new DateOnly(2020, 3, 1), Kind = "ct", ScheduledOn = new DateOnly(2020, 4, 20) },
            new Contracts.Diagnosis.PatientDied { PatientId = "FHIR-NAV", OccurredOn = new DateOnly(2020, 4, 1) });
        await Eventually.HoldsAsync(async () => await system.JourneyEntryCountAsync("FHIR-NAV") == 4, "the navigation facts in the journey");

        using var response = await system.JourneyClient.GetAsync("/patients/FHIR-NAV/fhir");
        var bundle = new FhirJsonDeserializer().Deserialize<Bundle>(await response.Content.ReadAsStringAsync());
        var errors = R4CoreValidator().Validate(bundle).Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(15).Select(i => $"{string.Join(",", i.Expression ?? [])}: {i.Details?.Text}")));
        Assert.Equal(Appointment.AppointmentStatus.Booked, Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<Appointment>()).Status);
        Assert.Equal("2020-04-01", Assert.IsType<FhirDateTime>(bundle.Entry.Select(e => e.Resource).OfType<Patient>().Single().Deceased).Value);
    }

    [Fact]
    public async System.Threading.Tasks.Task Retracted_facts_export_as_entered_in_error_that_validates_with_no_error_and_a_retracted_death_leaves_the_patient_alive()
    {
        const string P = "FHIR-RETRACTED";
        (string Department, string Path, object Body)[] facts =
        [
            ("diagnosis", $"/patients/{P}/diagnoses", new { occurredOn = "2010-12-14", histology = "leiomyosarcoma", primarySite = "uterus", metastaticSites = new[] { "liver" } }),
            ("imaging", $"/patients/{P}/ct", new { performedOn = "2010-12-22", region = "abdomen", targetLesions = new[] { new { lesionId = "a", site = "liver", longestDiameterMm = 42 } } }),
            ("interventional", $"/patients/{P}/tace", new { performedOn = "2011-07-12", target = "liver", drug = "doxorubicin", doseMg = 50, toxicities = Array.Empty<object>() }),
            ("diagnosis", $"/patients/{P}/death", new { diedOn = "2012-01-01" }),
        ];
        foreach (var (department, path, body) in facts)
        {
            using var recorded = await system.PostAsync(department, path, body);
            Assert.Equal(System.Net.HttpStatusCode.Accepted, recorded.StatusCode);
            var id = (await recorded.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["eventId"]!.GetValue<Guid>();
            using var retracted = await system.PostAsync(department, $"/patients/{P}/events/{id}/retract", new { reason = "another patient's record" });
            Assert.Equal(System.Net.HttpStatusCode.Accepted, retracted.StatusCode);
        }
        await Eventually.HoldsAsync(async () =>
            (await system.JourneyClient.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/patients/{P}/journey"))!["entries"]!.AsArray().Count(e => (bool)e!["retracted"]!) == 4,
            "the four retracted facts in the journey");

        using var response = await system.JourneyClient.GetAsync($"/patients/{P}/fhir");
        var bundle = new FhirJsonDeserializer().Deserialize<Bundle>(await response.Content.ReadAsStringAsync());
        var errors = R4CoreValidator().Validate(bundle).Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(15).Select(i => $"{string.Join(",", i.Expression ?? [])}: {i.Details?.Text}")));
        var resources = bundle.Entry.Select(e => e.Resource).ToList();
        Assert.All(resources.OfType<Condition>(), c => Assert.Equal("entered-in-error", c.VerificationStatus?.Coding.Single().Code));
        Assert.Equal(DiagnosticReport.DiagnosticReportStatus.EnteredInError, Assert.Single(resources.OfType<DiagnosticReport>()).Status);
        Assert.Equal(EventStatus.EnteredInError, Assert.Single(resources.OfType<Procedure>()).Status);
        Assert.All(resources.OfType<MedicationAdministration>(), m => Assert.Equal(MedicationAdministration.MedicationAdministrationStatusCodes.EnteredInError, m.Status));
        Assert.Null(resources.OfType<Patient>().Single().Deceased);
    }

    // mCODE STU4 cannot be loaded here: each profile's must-support elements this data can fill are checked one by one
    // (docs/audit.md lists them, and those the data cannot fill).
    [Fact]
    public async System.Threading.Tasks.Task Seed_case_resources_claim_their_mCODE_STU4_profiles_and_fill_the_must_support_elements_the_data_has()
    {
        var bundle = await ExportSeedCaseAsync();
        var resources = bundle.Entry.Select(e => e.Resource).ToList();
        var urls = bundle.Entry.Select(e => e.FullUrl).ToHashSet();
        List<T> Claiming<T>(string profile) where T : Resource
        {
            var claiming = resources.OfType<T>().Where(r => r.Meta?.Profile.Contains(profile) == true).ToList();
            Assert.True(claiming.Count > 0, $"no {typeof(T).Name} claims {profile}");
            return claiming;
        }
        void Refers(ResourceReference? reference, string what) =>
            Assert.True(reference?.Reference is { } url && urls.Contains(url), $"{what} refers to no entry of the bundle: {reference?.Reference}");

        // Every resource of a kind mCODE profiles claims its profile.
        Assert.All(resources.OfType<Condition>(), c => Assert.Single(c.Meta?.Profile ?? []));
        Assert.All(resources.OfType<MedicationAdministration>(), m => Assert.Equal([McodeCodes.CancerRelatedMedicationAdministration], m.Meta?.Profile));
        Assert.All(resources.OfType<Procedure>(), p => Assert.Equal([McodeCodes.CancerRelatedSurgicalProcedure], p.Meta?.Profile));
        Assert.All(resources.OfType<Observation>().Where(o => o.Code.Coding.Any(c => c.Code == "89247-1")), o => Assert.Equal([McodeCodes.EcogPerformanceStatus], o.Meta?.Profile));
        Assert.All(resources.OfType<Observation>().Where(o => o.Code.Coding.Any(c => c.Code == "97509-4")), o => Assert.Equal([McodeCodes.CancerDiseaseStatus], o.Meta?.Profile));

        var primary = Assert.Single(Claiming<Condition>(McodeCodes.PrimaryCancerCondition));
        var primaryUrl = bundle.Entry.Single(e => e.Resource == primary).FullUrl;
        foreach (var condition in (IEnumerable<Condition>)[primary, .. Claiming<Condition>(McodeCodes.SecondaryCancerCondition)])
        {
            Assert.NotNull(condition.GetExtension(McodeCodes.AssertedDate)?.Value);
            Assert.NotNull(condition.ClinicalStatus?.Coding.SingleOrDefault()?.Code);
            Assert.NotNull(condition.VerificationStatus?.Coding.SingleOrDefault()?.Code);
            Assert.NotEmpty(condition.Category);
            Assert.Contains(condition.Code?.Coding ?? [], c => c.System == McodeCodes.Icd10Cm && c.Display is not null);
            Assert.Contains(condition.BodySite.SelectMany(b => b.Coding), c => c.System == McodeCodes.IcdO3);
            Refers(condition.Subject, "Condition.subject");
            Assert.NotNull(condition.Onset);
            Assert.NotNull(condition.RecordedDate);
        }
        var histology = Assert.IsType<CodeableConcept>(primary.GetExtension(McodeCodes.HistologyMorphologyBehavior)?.Value);
        Assert.Equal([(McodeCodes.Snomed, "1163022006"), (McodeCodes.IcdO3, "8890/3")], histology.Coding.Select(c => (c.System, c.Code)));
        Assert.Equal("C49.9", primary.Code!.Coding.Single().Code); // leiomyosarcoma, primary site unknown
        Assert.All(Claiming<Condition>(McodeCodes.SecondaryCancerCondition), s =>
        {
            Assert.Equal(primaryUrl, Assert.IsType<ResourceReference>(s.GetExtension(McodeCodes.ConditionRelated)?.Value).Reference);
            Assert.Contains(s.BodySite.SelectMany(b => b.Coding), c => c.System == McodeCodes.Snomed);
        });
        Assert.Equal(["C77.0", "C78.7", "C77.2"], Claiming<Condition>(McodeCodes.SecondaryCancerCondition).Select(s => s.Code!.Coding.Single(c => c.System == McodeCodes.Icd10Cm).Code));
        Assert.Contains(Claiming<Condition>(McodeCodes.SecondaryCancerCondition), s => s.Code!.Coding.Any(c => (c.System, c.Code) == (McodeCodes.Snomed, "94381002")));

        Assert.All(Claiming<Observation>(McodeCodes.EcogPerformanceStatus), o =>
        {
            Assert.Equal(ObservationStatus.Final, o.Status);
            Refers(o.Subject, "ECOG subject");
            Assert.IsType<FhirDateTime>(o.Effective);
            var ecog = Assert.IsType<Integer>(o.Value).Value!.Value;
            Assert.Equal(McodeCodes.EcogAnswer(ecog).Code, o.Interpretation.Single().Coding.Single().Code);
        });

        string[] trends = ["268910001", "359746009", "271299001", "709137006"];
        var statuses = Claiming<Observation>(McodeCodes.CancerDiseaseStatus);
        Assert.All(statuses, o =>
        {
            Assert.Equal(ObservationStatus.Final, o.Status);
            Refers(o.Subject, "disease status subject");
            Assert.IsType<FhirDateTime>(o.Effective);
            var value = Assert.IsType<CodeableConcept>(o.Value);
            Assert.Contains(value.Coding.Single(c => c.System == McodeCodes.Snomed).Code, trends);
            Assert.Matches("^(RECIST 1.1|EORTC) ", value.Text);
            Assert.Contains(o.Focus, f => f.Reference == primaryUrl);
            Assert.All(o.Focus, f => Refers(f, "disease status focus"));
            Assert.Equal("363679005", Assert.IsType<CodeableConcept>(o.GetExtension(McodeCodes.EvidenceType)?.Value).Coding.Single().Code);
        });
        // Each response a report concludes is a coded disease status among its results: the first CT's PR is improved.
        var reports = resources.OfType<DiagnosticReport>().Where(r => r.ConclusionCode.Count > 0).ToList();
        Assert.Equal(reports.Count, statuses.Count);
        var firstPartial = reports.First(r => r.ConclusionCode.Single().Text == "RECIST 1.1 PR");
        var status = statuses.Single(s => firstPartial.Result.Any(r => bundle.Entry.Single(e => e.FullUrl == r.Reference).Resource == s));
        Assert.Equal("268910001", Assert.IsType<CodeableConcept>(status.Value).Coding.Single().Code);
        Assert.Contains(statuses, s => s.Value is CodeableConcept { Text: "EORTC CMR" });
        var ctReports = resources.OfType<DiagnosticReport>().Where(r => r.Code?.Text?.StartsWith("CT ", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(5, ctReports.Count);
        Assert.All(ctReports, r => Assert.Equal((McodeCodes.Loinc, "36813-4"), (r.Code!.Coding.Single().System, r.Code.Coding.Single().Code)));

        Assert.All(Claiming<MedicationAdministration>(McodeCodes.CancerRelatedMedicationAdministration), m =>
        {
            Refers(m.Subject, "MedicationAdministration.subject");
            Assert.Equal(primaryUrl, m.ReasonReference.Single().Reference);
            Assert.Contains(Assert.IsType<CodeableConcept>(m.Medication).Coding, c => c.System == McodeCodes.RxNorm && c.Display is not null);
        });

        Assert.All(Claiming<Procedure>(McodeCodes.CancerRelatedSurgicalProcedure), p =>
        {
            Assert.Equal(EventStatus.Completed, p.Status);
            Assert.Equal("387713003", p.Category?.Coding.Single().Code);
            Refers(p.Subject, "Procedure.subject");
            Assert.NotNull(p.Performed);
            Assert.Equal(primaryUrl, p.ReasonReference.Single().Reference);
            Assert.Contains(p.BodySite.SelectMany(b => b.Coding), c => c.System == McodeCodes.Snomed);
        });
        Assert.Contains(resources.OfType<Procedure>(), p => p.Code?.Coding.SingleOrDefault()?.Code == "879916008"); // the RFA

        Assert.All(resources.OfType<Observation>().Where(o => o.Code.Text == "SUVmax"),
            o => Assert.Equal((McodeCodes.Ucum, "{SUV}"), (Assert.IsType<Quantity>(o.Value).System, Assert.IsType<Quantity>(o.Value).Code)));
        Assert.All(resources.OfType<Observation>(), o => Assert.Contains(o.Category.SelectMany(c => c.Coding), c => c.System == ObservationCategory));
    }

    [Fact]
    public async System.Threading.Tasks.Task A_cycle_drug_is_given_over_its_own_cycle_days_not_the_whole_cycle()
    {
        var bundle = await ExportSeedCaseAsync();
        var firstCycle = bundle.Entry.Select(e => e.Resource).OfType<MedicationAdministration>()
            .Where(m => m.Effective is Period { Start: "2011-01-10" }).ToDictionary(m => Assert.IsType<CodeableConcept>(m.Medication).Text ?? "", m => (Period)m.Effective);

        // Cycle 1 of doxorubicin + ifosfamide ran 2011-01-10 to 2011-01-13: doxorubicin days 1-3, ifosfamide 1-4, filgrastim 1-5.
        Assert.Equal("2011-01-12", firstCycle["doxorubicin"].End);
        Assert.Equal("2011-01-13", firstCycle["ifosfamide"].End);
        Assert.Equal("2011-01-14", firstCycle["filgrastim"].End);
    }

    /// <summary>
    /// Firely against the R4 core specification only. The mCODE package cannot be loaded here, so the mCODE profiles a
    /// resource claims are left out of what it is validated against (unresolvable, they would be errors); the next test
    /// checks their must-support elements instead.
    /// </summary>
    private static Validator R4CoreValidator()
    {
        var resolver = new CachedResolver(ZipSource.CreateValidationSource());
        var settings = new ValidationSettings
        {
            SelectValidationProfiles = (_, profiles, _, _) => profiles.Where(p => !p.ToString().StartsWith("http://hl7.org/fhir/us/mcode/", StringComparison.Ordinal)).ToArray(),
        };
        return new Validator(resolver.AsAsync(), new LocalTerminologyService(resolver.AsAsync()), null, settings);
    }

    private async System.Threading.Tasks.Task<Bundle> ExportSeedCaseAsync()
    {
        var seed = await system.LoadSeedCaseAsync();
        using var response = await system.JourneyClient.GetAsync($"/patients/{seed.PatientId}/fhir?asOf=2012-06-30");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        return new FhirJsonDeserializer().Deserialize<Bundle>(await response.Content.ReadAsStringAsync());
    }
}
