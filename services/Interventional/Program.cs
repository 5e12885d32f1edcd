using PatientJourney.Hosting;
using PatientJourney.Interventional;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(defaultPort: InterventionalService.DefaultPort);
builder.AddInterventional();

var app = builder.Build();
app.MapServiceDefaults();
app.MapInterventionalApi();
app.Run();

public partial class Program;
