using PatientJourney.Contracts;
using PatientJourney.DepartmentKit;
using PatientJourney.Contracts.Chemotherapy;

namespace PatientJourney.Chemotherapy.Regimens;

public sealed record StopRegimen(DateOnly? StoppedOn, string? Reason) : IValidatedRequest
{
    public void Validate(FieldValidation v, DateOnly today)
    {
        v.ClinicalDate(StoppedOn, "stoppedOn", today);
        v.Required(Reason, "reason", ClinicalLimits.Reason);
    }
}

public static class StoppingRegimen
{
    public static void Map(IEndpointRouteBuilder patient) =>
        patient.MapCommand<StopRegimen>("/regimens/{regimenId}/stop", (r, c) => Decide(r, c, c.RouteValue("regimenId")), clinicalDateField: "stoppedOn")
            .Records<ChemoRegimenStopped>().WithName("StopRegimen");

    public static Decision Decide(StopRegimen r, CommandContext c, string regimenId)
    {
        if (Regimen.Find(c.History, regimenId) is not { } regimen)
            return Decision.NotFound("regimenId", $"regimen {regimenId} has not been started for this patient");
        if (regimen.Stopped is not null)
            return Decision.Conflict("regimenId", $"regimen {regimenId} was already stopped");
        var notBefore = regimen.LastCycle?.CompletedOn ?? regimen.Started.OccurredOn;
        if (r.StoppedOn < notBefore)
            return Decision.Conflict("stoppedOn", $"a regimen cannot stop before {notBefore:yyyy-MM-dd}");
        return new ChemoRegimenStopped
        {
            PatientId = c.PatientId,
            OccurredOn = r.StoppedOn!.Value,
            RegimenId = regimenId,
            Reason = r.Reason!,
        };
    }
}
