namespace Neptune.Host.Tests;

/// <summary>One data folder with the man-page corpus imported once (it takes seconds), shared by the tests of a class.</summary>
public sealed class ManCorpusFixture : IAsyncLifetime
{
    public const int PageCount = 4453;

    private readonly TempDirectory _data = new("man-corpus");

    public string DataDir => _data.Path;

    /// <summary>The first import into the empty data folder, kept so a test can look at its summary.</summary>
    public CliResult FirstImport { get; private set; } = null!;

    public Task<CliResult> RunAsync(IReadOnlyList<string> args, CancellationToken ct) =>
        Cli.RunAsync([.. args, "--data", DataDir], ct);

    public async ValueTask InitializeAsync() =>
        FirstImport = await RunAsync(["import", SharedDatasets.ManPagesCorpus, "--json"], TestContext.Current.CancellationToken);

    public ValueTask DisposeAsync()
    {
        _data.Dispose();
        return ValueTask.CompletedTask;
    }
}
