using PatientJourney.Contracts.Imaging;

namespace PatientJourney.UnitTests.Journey.Responses;

/// <summary>CTs and PET/CTs as the imaging department records them, for the response tests.</summary>
internal static class Scans
{
    private static int _recorded;

    public static TargetLesion T(string id, decimal mm, bool node = false) => new(id, node ? "retroperitoneal node" : $"site {id}", mm, node);
    public static NonTargetLesion N(string id, NonTargetStatus status) => new(id, $"site {id}", status);

    public static CtResulted Ct(string on, IReadOnlyList<TargetLesion> targets, IReadOnlyList<NonTargetLesion>? nonTargets = null, bool newLesions = false) => new()
    {
        EventId = Guid.CreateVersion7(),
        PatientId = "P-1",
        OccurredOn = DateOnly.Parse(on),
        RecordedAt = DateTimeOffset.UnixEpoch.AddMinutes(Interlocked.Increment(ref _recorded)),
        Region = "chest-abdomen-pelvis",
        TargetLesions = targets,
        NonTargetLesions = nonTargets ?? [],
        NewLesions = newLesions,
    };

    public static PetLesion Uptake(string id, decimal suvMax, bool? avid = null, decimal? mm = null) => new(id, $"site {id}", suvMax, mm, avid);

    public static PetCtResulted Pet(string on, PetCtIndication indication, IReadOnlyList<PetLesion> lesions, decimal? background = null) => new()
    {
        EventId = Guid.CreateVersion7(),
        PatientId = "P-1",
        OccurredOn = DateOnly.Parse(on),
        RecordedAt = DateTimeOffset.UnixEpoch.AddMinutes(Interlocked.Increment(ref _recorded)),
        Indication = indication,
        Lesions = lesions,
        BackgroundSuvMax = background,
    };
}
