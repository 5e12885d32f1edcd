using PatientJourney.Contracts;
using PatientJourney.Contracts.Diagnosis;
using PatientJourney.DepartmentKit;
using PatientJourney.Hosting.Security;

namespace PatientJourney.Diagnosis.Navigation;

public sealed record BookAppointment(string? Kind, DateOnly? ScheduledOn, string? Location) : IValidatedRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        SurveillanceItemKinds.Check(v, Kind, "kind");
        NavigationLimits.FutureDate(v, ScheduledOn, "scheduledOn", today);
        v.MaxLength(Location, "location", ClinicalLimits.ShortText);
    }
}

public static class BookingAppointment
{
    public static void Map(IEndpointRouteBuilder patients) =>
        patients.MapCommand<BookAppointment>("/{patientId}/appointments", Decide, policy: Policies.RecordNavigationFacts).Records<AppointmentBooked>().WithName("BookAppointment");

    public static Decision Decide(BookAppointment r, CommandContext c) =>
        SurveillanceState.ForOpenItem(c, r.Kind!, () => new AppointmentBooked
        {
            PatientId = c.PatientId,
            OccurredOn = c.Today,
            Kind = r.Kind!,
            ScheduledOn = r.ScheduledOn!.Value,
            Location = r.Location,
        });
}
