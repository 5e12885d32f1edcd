namespace PatientJourney.Contracts;

/// <summary>
/// A contract type or field no longer published, kept so that events recorded before still read. The published JSON
/// Schemas mark it deprecated, with <see cref="Reason"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property)]
public sealed class RetiredAttribute(string reason) : Attribute
{
    public string Reason { get; } = reason;
}
