using PatientJourney.Hosting;
using PatientJourney.Diagnosis;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(defaultPort: DiagnosisService.DefaultPort);
builder.AddDiagnosis();

var app = builder.Build();
app.MapServiceDefaults();
app.MapDiagnosisApi();
app.Run();

public partial class Program;
