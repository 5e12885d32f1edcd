namespace PatientJourney.IntegrationTests;

/// <summary>
/// The tests that must have the machine's RabbitMQ (and its two cores) to themselves: xunit runs this collection alone,
/// after the classes that run in parallel. Each member says why it is here.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExclusiveBroker
{
    public const string Name = nameof(ExclusiveBroker);
}
