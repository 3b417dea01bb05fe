using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Neptune.Data.Postgres;
using Neptune.Data.Sqlite;
using Neptune.Data.Storage;
using Neptune.Data.Transfer;

namespace Neptune.Data;

public static class Extensions
{
    /// <summary>
    /// Registers the store, with its options bound from the "Neptune" section: SQLite in the data dir (desktop, the
    /// default) or PostgreSQL when Neptune:Database:Provider is postgres.
    /// </summary>
    public static IServiceCollection AddNeptuneStore(this IServiceCollection services)
    {
        services.AddOptions<StoreOptions>()
            .BindConfiguration(StoreOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<SearchOptions>()
            .BindConfiguration(SearchOptions.Section)
            .ValidateDataAnnotations()
            .Validate<IOptions<DatabaseOptions>>(
                (search, database) => search.Vectors != SearchOptions.PgvectorVectors || database.Value.IsPostgres,
                "Neptune:Search:Vectors = pgvector needs Neptune:Database:Provider = postgres (SQLite has no pgvector): set it to memory or leave it unset.")
            .ValidateOnStart();
        services.AddOptions<RelatedOptions>()
            .BindConfiguration(RelatedOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<IndexerOptions>()
            .BindConfiguration(IndexerOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<StorageOptions>()
            .Configure<Microsoft.Extensions.Configuration.IConfiguration>(StorageOptions.ApplyAliases)  // before the bind: Neptune:Storage wins
            .BindConfiguration(StorageOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<AttachmentOptions>()
            .BindConfiguration(AttachmentOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value);
        services.TryAddSingleton<IObjectStore>(sp => new S3ObjectStore(sp.GetRequiredService<StorageOptions>()));
        services.AddSingleton<IAttachmentBytes>(sp => sp.GetRequiredService<StorageOptions>().UsesS3
            ? new S3AttachmentBytes(sp.GetRequiredService<IObjectStore>(), sp.GetRequiredService<StoreOptions>())
            : new LocalAttachmentBytes(sp.GetRequiredService<StoreOptions>()));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<StoreOptions>>().Value);
        services.TryAddSingleton<JobSignal>();
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<NoteWriter>();
        services.AddSingleton<PostgresDatabase>();
        services.AddSingleton<PostgresNoteWriter>();
        services.AddProviderSingleton<IDatabase, SqliteDatabase, PostgresDatabase>();
        services.AddProviderSingleton<IFolderStore, SqliteFolderStore, PostgresFolderStore>();
        services.AddSingleton<SqliteNoteStore>();
        services.AddSingleton<PostgresNoteStore>();
        services.AddSingleton<INoteStore>(sp =>
        {
            INoteStore store = UsesPostgres(sp) ? sp.GetRequiredService<PostgresNoteStore>() : sp.GetRequiredService<SqliteNoteStore>();
            var storage = sp.GetRequiredService<StorageOptions>();
            return storage.UsesS3
                ? new ObjectStoredNotes(store, sp.GetRequiredService<IObjectStore>(), storage.ParsedMode, sp.GetRequiredService<StoreOptions>(),
                    sp.GetService<ILogger<ObjectStoredNotes>>() ?? NullLogger<ObjectStoredNotes>.Instance)
                : store;
        });
        services.AddProviderSingleton<IJobQueue, SqliteJobQueue, PostgresJobQueue>();
        services.AddProviderSingleton<INoteSearch, SqliteNoteSearch, PostgresNoteSearch>();
        services.AddProviderSingleton<ISearchStore, SqliteSearchStore, PostgresSearchStore>();
        services.AddProviderSingleton<IModelStore, SqliteModelStore, PostgresModelStore>();
        services.AddProviderSingleton<IGraphStore, SqliteGraphStore, PostgresGraphStore>();
        services.AddProviderSingleton<IIndexStore, SqliteIndexStore, PostgresIndexStore>();
        services.AddProviderSingleton<INoteIndexStore, SqliteNoteIndexStore, PostgresNoteIndexStore>();
        services.AddProviderSingleton<IVectorIndexProvider, SqliteVectorIndexProvider, PostgresVectorIndexProvider>();
        services.AddSingleton<InMemoryVectorSearch>();
        services.AddSingleton<PgvectorSearch>();
        services.AddSingleton<IVectorSearch>(sp =>
            sp.GetRequiredService<IOptions<SearchOptions>>().Value.UsesPgvector(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value)
                ? sp.GetRequiredService<PgvectorSearch>()
                : sp.GetRequiredService<InMemoryVectorSearch>());
        services.AddProviderSingleton<IWordCounts, FtsVocabulary, PostgresWordCounts>();
        services.AddProviderSingleton<IAttachmentStore, SqliteAttachmentStore, PostgresAttachmentStore>();
        services.AddProviderSingleton<IAccountStore, SqliteAccountStore, PostgresAccountStore>();

        services.AddSingleton<Importer>();
        services.AddSingleton<Exporter>();
        return services;
    }

    private static bool UsesPostgres(IServiceProvider sp) => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.IsPostgres;

    private static void AddProviderSingleton<TService, TSqlite, TPostgres>(this IServiceCollection services)
        where TService : class
        where TSqlite : class, TService
        where TPostgres : class, TService
    {
        services.AddSingleton<TSqlite>();
        services.AddSingleton<TPostgres>();
        services.AddSingleton<TService>(sp => UsesPostgres(sp) ? sp.GetRequiredService<TPostgres>() : sp.GetRequiredService<TSqlite>());
    }
}
