using PatientJourney.Hosting;
using PatientJourney.Imaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(defaultPort: ImagingService.DefaultPort);
builder.AddImaging();

var app = builder.Build();
app.MapServiceDefaults();
app.MapImagingApi();
app.Run();

public partial class Program;
