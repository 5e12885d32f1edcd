using PatientJourney.Hosting;
using PatientJourney.Chemotherapy;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(defaultPort: ChemotherapyService.DefaultPort);
builder.AddChemotherapy();

var app = builder.Build();
app.MapServiceDefaults();
app.MapChemotherapyApi();
app.Run();

public partial class Program;
