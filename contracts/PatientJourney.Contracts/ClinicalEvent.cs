using System.Text.Json.Serialization;

namespace PatientJourney.Contracts;

/// <summary>
/// The envelope every department event carries (contract v1, "Event envelope").
/// Departments set the clinical content; the recording department stamps the envelope.
/// </summary>
public abstract record ClinicalEvent
{
    public Guid EventId { get; init; }
    public required string PatientId { get; init; }

    /// <summary>The event name; also the message type name on the bus.</summary>
    public string Type => GetType().Name;

    public abstract string Department { get; }

    /// <summary>Clinical date of the fact (a procedure's or scan's performedOn).</summary>
    public required DateOnly OccurredOn { get; init; }

    public DateTimeOffset RecordedAt { get; init; }
    public string RecordedBy { get; init; } = "anonymous";
    public int SchemaVersion { get; init; } = 1;

    /// <summary>An amendment: the id of the fact (of the same type and department) this one replaces (contract: "Corrections").</summary>
    public Guid? Amends { get; init; }

    /// <summary>Why the fact was amended; given with <see cref="Amends"/> only.</summary>
    public string? AmendmentReason { get; init; }

    /// <summary>
    /// The envelope's and the fact's rules: what its department checked before deciding it, and what the journey checks
    /// before recording it (a message sent straight to an exchange has been through no department's checks). <paramref name="latest"/> is the last clinical date a fact may have: the
    /// department's today, or the journey's (a day later, for a department whose clock runs ahead).
    /// </summary>
    public FieldValidation Validate(DateOnly latest)
    {
        var v = new FieldValidation();
        if (EventId == Guid.Empty) v.Add("eventId", "is required");
        v.PatientId(PatientId);
        v.ClinicalDate(OccurredOn, "occurredOn", latest);
        if (SchemaVersion != 1) v.Add("schemaVersion", $"{SchemaVersion} is not supported (1 is)");
        v.Required(RecordedBy, "recordedBy", ClinicalLimits.RecordedBy);
        Corrections.CheckAmendment(v, Amends, AmendmentReason);
        ValidateFact(v, latest);
        return v;
    }

    protected abstract void ValidateFact(FieldValidation v, DateOnly latest);
}

public static class Departments
{
    public const string Diagnosis = "diagnosis";
    public const string Chemotherapy = "chemotherapy";
    public const string Interventional = "interventional";
    public const string Imaging = "imaging";

    public static readonly IReadOnlyList<string> All = [Diagnosis, Chemotherapy, Interventional, Imaging];
}

public static class ContractEvents
{
    /// <summary>Every concrete event of the contract, so hosts can register them with the bus and the store.</summary>
    public static IReadOnlyList<Type> All { get; } = typeof(ClinicalEvent).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false, IsClass: true } && t.IsSubclassOf(typeof(ClinicalEvent)))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    public static IEnumerable<Type> OwnedBy(string department) => All.Where(t => DepartmentOf(t) == department);

    public static string DepartmentOf(Type eventType) =>
        eventType.Namespace?.Split('.').Last().ToLowerInvariant() switch
        {
            "diagnosis" => Departments.Diagnosis,
            "chemotherapy" => Departments.Chemotherapy,
            "interventional" => Departments.Interventional,
            "imaging" => Departments.Imaging,
            _ => throw new ArgumentException($"{eventType.Name} belongs to no department", nameof(eventType)),
        };
}

/// <summary>Codes are written as the contract spells them, whatever serializer options the reader uses.</summary>
[JsonConverter(typeof(ContractEnumConverter<ProcedureKind>))]
public enum ProcedureKind
{
    [JsonStringEnumMemberName("tace")] Tace,
    [JsonStringEnumMemberName("rfa")] Rfa,
    [JsonStringEnumMemberName("ct")] Ct,
    [JsonStringEnumMemberName("pet-ct")] PetCt,
}

/// <summary>A CTCAE v5 graded term (grade 1-5, one the term admits), with its MedDRA code (null before the terminology).</summary>
public sealed record GradedTerm(string Term, int Grade, string? Treatment = null, string? MeddraCode = null);

/// <summary>
/// Enum codes as the contract spells them (JsonStringEnumMemberName), and only those: an integer such as
/// <c>"sex": 0</c> is refused rather than read as the first member.
/// </summary>
public sealed class ContractEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(namingPolicy: null, allowIntegerValues: false)
    where TEnum : struct, Enum;
