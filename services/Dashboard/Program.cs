using PatientJourney.Hosting;
using PatientJourney.Dashboard;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(defaultPort: DashboardService.DefaultPort);
builder.AddDashboard();

var app = builder.Build();
app.UseDashboardSecurityHeaders(); // first: refusals, error pages and redirects carry the headers too
app.MapServiceDefaults();
app.MapDashboard();
app.Run();

public partial class Program;
