using PatientJourney.Hosting;
using PatientJourney.Chemotherapy;
using PatientJourney.Contracts;
using PatientJourney.Diagnosis;
using PatientJourney.Imaging;
using PatientJourney.Interventional;

// The four departments in one process, for a small machine: each keeps its own web host and port, its own schema,
// event store, outbox and broker user, exactly as when it runs alone; they share only the runtime (one GC heap, one
// thread pool, one JIT), which each process otherwise pays for itself (docs/architecture.md; measured in docs/benchmarks-history.md).
// A department's address is Departments:{name}:Urls (e.g. Departments__imaging__Urls), else its usual port.
DepartmentHost[] departments =
[
    new(Departments.Diagnosis, DiagnosisService.DefaultPort, b => b.AddDiagnosis(), a => a.MapDiagnosisApi()),
    new(Departments.Chemotherapy, ChemotherapyService.DefaultPort, b => b.AddChemotherapy(), a => a.MapChemotherapyApi()),
    new(Departments.Interventional, InterventionalService.DefaultPort, b => b.AddInterventional(), a => a.MapInterventionalApi()),
    new(Departments.Imaging, ImagingService.DefaultPort, b => b.AddImaging(), a => a.MapImagingApi()),
];

// Shared fate: when one department stops (it failed, or the process was told to stop), the other three stop too and
// the process exits with the failure, so that a supervisor never keeps a host running with a department missing.
using var stopAll = new CancellationTokenSource();
await Task.WhenAll(departments.Select(d => d.Build(args)).Select(async app =>
{
    try { await ((IHost)app).RunAsync(stopAll.Token); }
    finally { stopAll.Cancel(); }
}));

internal sealed record DepartmentHost(string Name, int DefaultPort, Action<WebApplicationBuilder> Add, Action<WebApplication> Map)
{
    public WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(DefaultPort);
        // One process, four listeners: a process-wide ASPNETCORE_URLS cannot name them, so each has its own key.
        builder.WebHost.UseUrls(builder.Configuration[$"Departments:{Name}:Urls"] ?? $"http://localhost:{DefaultPort}");
        Add(builder);
        var app = builder.Build();
        app.MapServiceDefaults();
        Map(app);
        return app;
    }
}
