using Marten;
using Marten.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace PatientJourney.StoreAndBus.EventStore;

/// <summary>
/// Marten's own logger writes every command's parameters (at Debug on success, at Error on failure): event bodies,
/// Idempotency-Keys, patient ids. This one keeps what an operator needs, the statement and its time or the failure's
/// kind, and never a parameter or an exception message (PostgreSQL's can quote a value).
/// </summary>
public sealed partial class ParameterFreeMartenLogger(ILogger logger) : IMartenLogger, IMartenSessionLogger
{
    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => LogSchemaChange(logger, sql);

    public void LogSuccess(NpgsqlCommand command)
    {
        if (logger.IsEnabled(LogLevel.Debug)) LogExecuted(logger, command.CommandText);
    }

    public void LogSuccess(NpgsqlBatch batch)
    {
        if (logger.IsEnabled(LogLevel.Debug)) LogExecuted(logger, string.Join(";\n", batch.BatchCommands.Cast<NpgsqlBatchCommand>().Select(c => c.CommandText)));
    }

    public void LogFailure(NpgsqlCommand command, Exception ex) => LogFailed(logger, ex.GetType().Name, SqlState(ex), command.CommandText);

    public void LogFailure(NpgsqlBatch batch, Exception ex) =>
        LogFailed(logger, ex.GetType().Name, SqlState(ex), string.Join(";\n", batch.BatchCommands.Cast<NpgsqlBatchCommand>().Select(c => c.CommandText)));

    public void LogFailure(Exception ex, string message) => LogFailed(logger, ex.GetType().Name, SqlState(ex), "(none)");

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit) { }

    public void OnBeforeExecute(NpgsqlCommand command) { }

    public void OnBeforeExecute(NpgsqlBatch batch) { }

    private static string SqlState(Exception ex) => (ex as PostgresException ?? ex.InnerException as PostgresException)?.SqlState ?? "-";

    [LoggerMessage(LogLevel.Information, "Marten changed the schema:\n{Sql}")]
    private static partial void LogSchemaChange(ILogger logger, string sql);

    [LoggerMessage(LogLevel.Debug, "Marten executed:\n{Sql}")]
    private static partial void LogExecuted(ILogger logger, string sql);

    [LoggerMessage(LogLevel.Error, "Marten failed ({ExceptionType}, SQLSTATE {SqlState}) executing:\n{Sql}")]
    private static partial void LogFailed(ILogger logger, string exceptionType, string sqlState, string sql);
}

public static class MartenLogging
{
    /// <summary>Every Marten store of the host logs through <see cref="ParameterFreeMartenLogger"/>.</summary>
    public static IServiceCollection AddParameterFreeMartenLogging(this IServiceCollection services) =>
        services.AddSingleton<IConfigureMarten, UseParameterFreeLogger>();

    private sealed class UseParameterFreeLogger(ILoggerFactory loggers) : IConfigureMarten
    {
        public void Configure(IServiceProvider services, StoreOptions options) =>
            options.Logger(new ParameterFreeMartenLogger(loggers.CreateLogger("Marten")));
    }
}
