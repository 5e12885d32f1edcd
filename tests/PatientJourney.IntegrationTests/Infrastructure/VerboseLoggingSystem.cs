using Microsoft.Extensions.Logging;

namespace PatientJourney.IntegrationTests.Infrastructure;

public sealed class VerboseLoggingSystem : PatientJourneySystem
{
    public LogCapture Logs { get; } = new();
    protected override ILoggerProvider LogSink => Logs;
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Trace", ["Logging:LogLevel:Marten"] = "Trace", ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
    };
}
