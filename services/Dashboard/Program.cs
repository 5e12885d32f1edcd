using PatientJourney.BuildingBlocks;
using PatientJourney.Dashboard;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(defaultPort: DashboardService.DefaultPort);
builder.AddDashboard();

var app = builder.Build();
app.MapServiceDefaults();
app.MapDashboard();
app.Run();

public partial class Program;
