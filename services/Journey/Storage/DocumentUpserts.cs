using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using Marten;

namespace PatientJourney.Journey.Storage;

/// <summary>
/// Many documents of one type stored in one statement (<c>insert ... select from unnest(...) on conflict (id) do update</c>),
/// queued in the session's unit of work: the rows <c>session.Store</c> writes (data, version, .NET type, last modified
/// and the duplicated fields), one statement a batch instead of one a document. Rows written over in place, as by
/// Marten's own upsert, so row triggers see the same inserts and updates.
/// </summary>
public static class DocumentUpserts
{
    private sealed record Shape(string Sql, string DotNetType, PropertyInfo[] Duplicated);

    // Per store: the statement names the store's table (its schema).
    private static readonly ConditionalWeakTable<IDocumentStore, ConcurrentDictionary<Type, Shape>> Shapes = new();

    public static void Upsert<T>(this IDocumentSession session, IReadOnlyCollection<T> documents, Func<T, string> id) where T : notnull
    {
        if (documents.Count == 0) return;
        var shape = Shapes.GetValue(session.DocumentStore, _ => new ConcurrentDictionary<Type, Shape>())
            .GetOrAdd(typeof(T), static (type, store) => ShapeOf(type, store), session.DocumentStore);
        var serializer = session.DocumentStore.Options.Serializer();
        var parameters = new object[3 + shape.Duplicated.Length];
        parameters[0] = shape.DotNetType;
        parameters[1] = documents.Select(id).ToArray();
        parameters[2] = documents.Select(d => serializer.ToJson(d)).ToArray();
        for (var i = 0; i < shape.Duplicated.Length; i++)
        {
            var property = shape.Duplicated[i];
            var values = Array.CreateInstance(property.PropertyType, documents.Count);
            var n = 0;
            foreach (var document in documents) values.SetValue(property.GetValue(document), n++);
            parameters[3 + i] = values;
        }
        session.QueueSqlCommand(shape.Sql, parameters);
    }

    private static Shape ShapeOf(Type type, IDocumentStore store)
    {
        var mapping = store.Options.FindOrResolveDocumentType(type);
        var duplicated = mapping.DuplicatedFields.Select(f => (Column: f.ColumnName, Property: type.GetProperty(f.MemberName)
            ?? throw new InvalidOperationException($"{type.Name}.{f.MemberName} is duplicated but is not a property"))).ToArray();
        var columns = string.Concat(duplicated.Select(d => $", {d.Column}"));
        var arrays = string.Concat(duplicated.Select(_ => ", ?"));
        var updates = string.Concat(duplicated.Select(d => $", {d.Column} = excluded.{d.Column}"));
        var sql = $"""
            insert into {mapping.TableName.QualifiedName} as d (id, data, mt_version, mt_dotnet_type, mt_last_modified{columns})
            select u.id, u.data::jsonb, gen_random_uuid(), ?, transaction_timestamp(){string.Concat(duplicated.Select((_, i) => $", u.c{i}"))}
            from unnest(?::varchar[], ?::text[]{arrays}) as u(id, data{string.Concat(duplicated.Select((_, i) => $", c{i}"))})
            on conflict (id) do update set data = excluded.data, mt_version = excluded.mt_version, mt_dotnet_type = excluded.mt_dotnet_type,
                mt_last_modified = excluded.mt_last_modified{updates}
            """;
        return new Shape(sql, type.FullName!, duplicated.Select(d => d.Property).ToArray());
    }
}
