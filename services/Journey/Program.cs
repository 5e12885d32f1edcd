using PatientJourney.Hosting;
using PatientJourney.Journey;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(defaultPort: JourneyService.DefaultPort);
builder.AddJourney();

var app = builder.Build();
app.MapServiceDefaults();
app.MapJourneyApi();
app.Run();

public partial class Program;
