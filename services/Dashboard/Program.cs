using PatientJourney.Hosting;
using PatientJourney.Dashboard;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(defaultPort: DashboardService.DefaultPort, describesApi: false); // HTML pages, no API to describe
builder.AddDashboard();

var app = builder.Build();
app.UseDashboardSecurityHeaders(); // first: refusals, error pages and redirects carry the headers too
app.MapServiceDefaults();
app.MapDashboard();
app.Run();

public partial class Program;
