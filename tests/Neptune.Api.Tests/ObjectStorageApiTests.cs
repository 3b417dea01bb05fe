using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Neptune.Data.Storage;

namespace Neptune.Api.Tests;

/// <summary>The app in storage mode s3 on the real S3 server, configured by the original environment names (S3_ENDPOINT, …).</summary>
public sealed class ObjectStorageApiTests : ApiTest
{
    private static readonly string[] S3Variables = ["S3_ENDPOINT", "S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_BUCKET"];

    public override ValueTask InitializeAsync()
    {
        var missing = S3Variables.Where(v => string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(v))).ToList();
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        Assert.False(missing.Count > 0 && ci, $"The S3 suite cannot run under CI, which never skips it: {string.Join(", ", missing)} not set");
        Assert.SkipWhen(missing.Count > 0, $"S3 suite skipped: {string.Join(", ", missing)} not set (./test.sh starts the servers; or eval \"$(scripts/services.sh up)\")");
        Factory.Settings["STORAGE_MODE"] = "s3";  // the alias; S3_* come from the environment
        Factory.Settings["Neptune:Storage:S3:Prefix"] = "t" + Guid.NewGuid().ToString("N");
        Factory.Settings["Neptune:Storage:S3:MaxRetries"] = "0";
        return base.InitializeAsync();
    }

    [Fact]
    public async Task Notes_and_attachments_round_trip_through_object_storage()
    {
        var note = await Client.CreateNoteAsync("# In S3\nwith ünïcode ✓");
        var png = new ByteArrayContent([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        png.Headers.ContentType = new MediaTypeHeaderValue("image/png");

        var put = await Client.PutAsync("/api/attachments/pics/s3.png", png);

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 1, 2, 3], await Client.GetByteArrayAsync("/api/attachments/pics/s3.png"));
        Assert.Equal("# In S3\nwith ünïcode ✓", (await Client.GetJsonAsync<NoteDto>($"/api/notes/{note.Id}")).Content);
        var objects = Factory.Services.GetRequiredService<IObjectStore>();
        await using var stored = await objects.OpenReadAsync(objects.Keys.Note(Neptune.Data.Sqlite.NoteWriter.Hash("# In S3\nwith ünïcode ✓")), TestContext.Current.CancellationToken);
        Assert.NotNull(stored);
    }

    [Fact]
    public async Task A_note_object_storage_cannot_take_is_refused_with_503_and_not_saved()
    {
        // Object storage that answered at start and is gone now.
        await using var factory = new NeptuneFactory();
        foreach (var (key, value) in Factory.Settings)
        {
            factory.Settings[key] = value;
        }

        factory.TestServices = services => services.AddSingleton<IObjectStore>(sp =>
        {
            var options = sp.GetRequiredService<StorageOptions>();
            return new GoneAfterStart(new S3ObjectStore(new StorageOptions
            {
                Mode = "s3",
                S3 = new S3Settings { Endpoint = "http://127.0.0.1:1", AccessKey = "a", SecretKey = "b", Bucket = options.S3.Bucket, Prefix = options.S3.Prefix, MaxRetries = 0 },
            }));
        });

        using var client = factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/notes", new { content = "words" });

        var problem = await response.ProblemAsync(503);
        Assert.Contains("Nothing was written", problem.Detail, StringComparison.Ordinal);
        Assert.Empty((await client.GetJsonAsync<PageDto>("/api/notes")).Items);
        var ready = await client.GetAsync("/ready");
        Assert.Contains("object-storage", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private sealed class GoneAfterStart(IObjectStore inner) : IObjectStore
    {
        private int _checks;

        public ObjectKeys Keys => inner.Keys;

        public Task PutAsync(string key, Stream content, string contentType, CancellationToken ct) => inner.PutAsync(key, content, contentType, ct);

        public Task<Stream?> OpenReadAsync(string key, CancellationToken ct) => inner.OpenReadAsync(key, ct);

        public Task<string?> GetETagAsync(string key, CancellationToken ct) => inner.GetETagAsync(key, ct);

        public Task DeleteAsync(string key, CancellationToken ct) => inner.DeleteAsync(key, ct);

        public Task<string?> CheckAsync(CancellationToken ct) => Interlocked.Increment(ref _checks) == 1 ? Task.FromResult<string?>(null) : inner.CheckAsync(ct);
    }
}
