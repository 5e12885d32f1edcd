using PatientJourney.DepartmentKit.FactCorrections;
using PatientJourney.DepartmentKit;
using PatientJourney.Contracts;
using PatientJourney.Imaging.Ct;
using PatientJourney.Imaging.Echocardiography;
using PatientJourney.Imaging.PetCt;

namespace PatientJourney.Imaging;

/// <summary>The imaging department: PET/CT, CT and echocardiogram results, their lesions checked as RECIST 1.1 and EORTC read them.</summary>
public sealed class ImagingService
{
    public const int DefaultPort = 5104;
}

public static class ImagingServiceExtensions
{
    public static WebApplicationBuilder AddImaging(this WebApplicationBuilder builder) =>
        builder.AddDepartmentEventStore(Departments.Imaging);

    public static IEndpointRouteBuilder MapImagingApi(this IEndpointRouteBuilder app)
    {
        var patient = app.MapGroup("/patients/{patientId}").WithTags("Imaging");
        ResultingPetCt.Map(patient);
        ResultingCt.Map(patient);
        ResultingEchocardiogram.Map(patient);
        app.MapDepartmentCorrections("Imaging");
        app.MapDepartmentBatch().WithTags("Imaging");
        return app;
    }
}
