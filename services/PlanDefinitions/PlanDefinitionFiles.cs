using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PatientJourney.Contracts.Diagnosis;

namespace PatientJourney.PlanDefinitions;

/// <summary>A file that cannot be read into the catalogue, and why.</summary>
public sealed record RefusedPlanDefinition(string File, IReadOnlyList<(string Field, string Message)> Problems)
{
    public override string ToString() => $"{File}: {string.Join("; ", Problems.Select(p => $"{p.Field}: {p.Message}"))}";
}

/// <summary>
/// The hospital's PlanDefinitions (Surveillance:PlanDefinitions, a list of file paths), added to the published catalogue
/// when the host starts. The journey and the diagnosis department both call <see cref="AddSurveillancePlanDefinitions"/>,
/// so one protocol authored for the network is the one every service computes from.
/// </summary>
public static class PlanDefinitionFiles
{
    public const string Setting = "Surveillance:PlanDefinitions";

    /// <summary>The published catalogue with the files' protocols and rules, or every file refused with its problems.</summary>
    public static (SurveillanceCatalogue? Catalogue, IReadOnlyList<RefusedPlanDefinition> Refused) Load(IReadOnlyList<string> files)
    {
        var readings = new List<PlanDefinitionReading>();
        var refused = new List<RefusedPlanDefinition>();
        foreach (var file in files)
        {
            string json;
            try { json = File.ReadAllText(file); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { refused.Add(new(file, [("file", e.Message)])); continue; }
            var result = PlanDefinitionImport.Read(json);
            if (result.Reading is not { } reading) refused.Add(new(file, result.Problems));
            else if (IsKnown(SurveillanceCatalogue.Published, reading.Id) || readings.Any(r => r.Id == reading.Id))
                refused.Add(new(file, [("id", $"'{reading.Id}' is already defined")]));
            else readings.Add(reading);
        }
        if (refused.Count > 0) return (null, refused);
        return (SurveillanceCatalogue.Published.With(readings.Select(r => r.Protocol).OfType<SurveillanceProtocol>(), readings.Select(r => r.Rule).OfType<ExposureRule>()), []);
    }

    /// <summary>
    /// Puts the configured files' catalogue in force; the files refused, if any (then nothing changes). None configured:
    /// the catalogue stays as it is (the published one), so a process without the setting never resets it.
    /// </summary>
    public static IReadOnlyList<RefusedPlanDefinition> Apply(IConfiguration configuration, out int files)
    {
        var paths = configuration.GetSection(Setting).Get<string[]>() ?? [];
        files = paths.Length;
        if (paths.Length == 0) return [];
        var (catalogue, refused) = Load(paths);
        if (catalogue is not null) SurveillanceCatalogue.Current = catalogue;
        return refused;
    }

    public static bool IsKnown(SurveillanceCatalogue catalogue, string id) => catalogue.Protocols.ContainsKey(id) || catalogue.Rules.Any(r => r.Id == id);

    /// <summary>Reads the configured files before any other hosted service starts (before an event is read or a request served).</summary>
    public static IHostApplicationBuilder AddSurveillancePlanDefinitions(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration.GetSection(Setting).Exists())
            builder.Services.AddSingleton<IHostedService>(sp => new Loader(builder.Configuration, sp.GetRequiredService<ILogger<Loader>>()));
        return builder;
    }

    internal sealed class Loader(IConfiguration configuration, ILogger<Loader> logger) : IHostedLifecycleService
    {
        public Task StartingAsync(CancellationToken cancellationToken)
        {
            var refused = Apply(configuration, out var files);
            if (refused.Count > 0)
            {
                foreach (var file in refused) logger.LogCritical("Surveillance:PlanDefinitions refused {File}: {Problems}", file.File, file.ToString());
                throw new InvalidOperationException($"Surveillance:PlanDefinitions: {string.Join(" | ", refused)}");
            }
            var catalogue = SurveillanceCatalogue.Current;
            logger.LogInformation("Surveillance catalogue: {Protocols} protocols, {Rules} exposure rules ({Files} files of the hospital's)",
                catalogue.Protocols.Count, catalogue.Rules.Count, files);
            return Task.CompletedTask;
        }

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
