using System.Net;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using PatientJourney.IntegrationTests.Infrastructure;

namespace PatientJourney.IntegrationTests.Audit;

public class FhirExportTests(PatientJourneySystem system) : IClassFixture<PatientJourneySystem>
{
    [Fact]
    public async System.Threading.Tasks.Task Seed_case_exports_as_an_R4_bundle_that_validates_against_the_base_profiles_with_no_error()
    {
        var seed = await system.LoadSeedCaseAsync();

        using var response = await system.JourneyClient.GetAsync($"/patients/{seed.PatientId}/fhir?asOf=2012-06-30");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/fhir+json", response.Content.Headers.ContentType?.MediaType);
        var bundle = new FhirJsonDeserializer().Deserialize<Bundle>(await response.Content.ReadAsStringAsync());

        var resolver = new CachedResolver(ZipSource.CreateValidationSource());
        var outcome = new Validator(resolver.AsAsync(), new LocalTerminologyService(resolver.AsAsync())).Validate(bundle);
        var errors = outcome.Issue.Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(15).Select(i => $"{string.Join(",", i.Expression ?? [])}: {i.Details?.Text}")));

        // The validator is not lenient: an Observation without its required status is an error.
        var broken = new Bundle { Type = Bundle.BundleType.Collection, Entry = [new Bundle.EntryComponent { FullUrl = $"urn:uuid:{Guid.NewGuid()}", Resource = new Observation { Code = new CodeableConcept { Text = "x" } } }] };
        Assert.Contains(new Validator(resolver.AsAsync(), new LocalTerminologyService(resolver.AsAsync())).Validate(broken).Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error);

        int Count<T>() where T : Resource => bundle.Entry.Count(e => e.Resource is T);
        Assert.Equal(1, Count<Patient>());
        Assert.Equal(4, Count<Condition>());                   // the primary cancer and three secondary sites
        Assert.Equal(5 * 3 + 3, Count<MedicationAdministration>()); // three drugs a cycle, five cycles; three TACE doses
        Assert.Equal(4, Count<Procedure>());                   // three TACE, one RFA
        Assert.Equal(2 + 5, Count<DiagnosticReport>());        // two PET/CT and five CT by 2012-06-30
        var carePlan = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<CarePlan>());
        Assert.Contains(carePlan.Activity, a => a.Detail?.Code?.Text == "ct" && a.Detail?.StatusReason?.Text == "upcoming");
        Assert.Contains(bundle.Entry.Select(e => e.Resource).OfType<DiagnosticReport>(), r => r.ConclusionCode.Any(c => c.Text == "RECIST 1.1 PR"));
    }
}
