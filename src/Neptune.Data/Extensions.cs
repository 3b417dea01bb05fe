using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Neptune.Data.Sqlite;
using Neptune.Data.Transfer;

namespace Neptune.Data;

public static class Extensions
{
    /// <summary>Registers the desktop store: SQLite in the data dir, with its options bound from the "Neptune" section.</summary>
    public static IServiceCollection AddNeptuneStore(this IServiceCollection services)
    {
        services.AddOptions<StoreOptions>()
            .BindConfiguration(StoreOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<SearchOptions>()
            .BindConfiguration(SearchOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<IndexerOptions>()
            .BindConfiguration(IndexerOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<StoreOptions>>().Value);
        services.TryAddSingleton<JobSignal>();
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<IDatabase>(sp => sp.GetRequiredService<SqliteDatabase>());
        services.AddSingleton<NoteWriter>();
        services.AddSingleton<IFolderStore, SqliteFolderStore>();
        services.AddSingleton<INoteStore, SqliteNoteStore>();
        services.AddSingleton<INoteSearch, SqliteNoteSearch>();
        services.AddSingleton<ISearchStore, SqliteSearchStore>();
        services.AddSingleton<IWordCounts, FtsVocabulary>();
        services.AddSingleton<IAttachmentStore, SqliteAttachmentStore>();
        services.AddSingleton<IModelStore, SqliteModelStore>();
        services.AddSingleton<IVectorIndexProvider, SqliteVectorIndexProvider>();
        services.AddSingleton<IGraphStore, SqliteGraphStore>();
        services.AddSingleton<IJobQueue, SqliteJobQueue>();
        services.AddSingleton<IIndexStore, SqliteIndexStore>();
        services.AddSingleton<INoteIndexStore, SqliteNoteIndexStore>();
        services.AddSingleton<Importer>();
        services.AddSingleton<Exporter>();
        return services;
    }
}
