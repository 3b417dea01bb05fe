using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Neptune.Data;
using Neptune.Host;
using Neptune.Indexer.Contract;

namespace Neptune.Indexer.Tests.Contract;

/// <summary>
/// One `neptune serve --role indexer` app (in memory, real composition, real SQLite, the embedded model in-process) with
/// three live notes and one in the trash, indexed before the tests start.
/// </summary>
public sealed class IndexerRoleFixture() : NeptuneAppFactory("neptune-indexer-tests"), IAsyncLifetime
{
    public IIndexerService InProcess => Services.GetRequiredService<LocalIndexerService>();

    public const string ServiceToken = "indexer-role-service-token-0123456789abcdef";

    /// <summary>As the backend calls it in server mode: with the roles' service token (the role runs in token mode).</summary>
    public IIndexerService OverHttp
    {
        get
        {
            var http = CreateClient();
            var configuration = new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("Neptune:Auth:ServiceToken", (string?)ServiceToken)]).Build();
            Neptune.Llm.Extensions.AddServiceToken(http, configuration);
            return new IndexerHttpClient(http);
        }
    }

    public List<long> LiveNotes { get; } = [];

    public long TrashedNote { get; private set; }

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Neptune:Role", "indexer");
        builder.UseSetting("Neptune:Auth:Mode", "token");
        builder.UseSetting("Neptune:Auth:ServiceToken", ServiceToken);
        builder.UseSetting("Neptune:Llm:Onnx:Threads", "2");
        builder.UseSetting("Neptune:Indexer:PollInterval", "00:00:00.050");
    }

    public async ValueTask InitializeAsync()
    {
        await WaitReadyAsync(TimeSpan.FromSeconds(60));

        var notes = Services.GetRequiredService<INoteStore>();
        foreach (var (title, text) in SharedDatasets.ManPages("cut.1", "paste.1", "udp.7").Values)
        {
            LiveNotes.Add((await notes.CreateAsync(UserId.Local, new NewNote(null, title, text), CancellationToken.None)).Id);
        }

        TrashedNote = (await notes.CreateAsync(UserId.Local, new NewNote(null, "Scratch", "to be trashed"), CancellationToken.None)).Id;
        await notes.DeleteAsync(UserId.Local, TrashedNote, null, CancellationToken.None);
        await WaitUntilIndexedAsync(InProcess);
    }

    /// <summary>Polls status until every live note is indexed and no job waits (60 s at most).</summary>
    public static async Task<IndexerStatusResponse> WaitUntilIndexedAsync(IIndexerService indexer)
    {
        IndexerStatusResponse status;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            status = await indexer.GetStatusAsync(CancellationToken.None);
            if ((status.Index.Indexed == status.Index.Notes && status.Index.QueueDepth == 0) || DateTime.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(100);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class IndexerRoleCollection : ICollectionFixture<IndexerRoleFixture>
{
    public const string Name = "indexer role";
}
