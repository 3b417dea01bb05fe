namespace Neptune.Api.Tests;

/// <summary>Each test gets its own app on its own SQLite file, and a client for it.</summary>
public abstract class ApiTest : IAsyncLifetime
{
    protected NeptuneFactory Factory { get; } = new();

    protected HttpClient Client { get; private set; } = null!;

    public virtual ValueTask InitializeAsync()
    {
        Client = Factory.CreateClient();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return Factory.DisposeAsync();
    }
}
