using Marten;
using Marten.Internal.Storage;
using Npgsql;

namespace PatientJourney.Journey.Projections;

/// <summary>
/// New documents written by one COPY through Marten's own bulk loader (exactly the columns <c>session.Store</c> writes),
/// on a connection inside its transaction: one statement for a batch instead of one upsert a document. Insert only:
/// a document that exists already fails the COPY, and with it the transaction.
/// </summary>
public static class DocumentCopy
{
    public static Task InsertAsync<T>(IDocumentStore store, NpgsqlConnection connection, IReadOnlyCollection<T> documents, CancellationToken ct) where T : notnull =>
        documents.Count == 0 ? Task.CompletedTask : ((MartenDocumentProvider<T>)store.Storage.Database.Providers.StorageFor<T>()).BulkLoader
            .LoadAsync(store.Options.Tenancy.Default, store.Options.Serializer(), connection, documents, ct);
}
