using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Neptune.Data;

namespace Neptune.Api.Tests;

/// <summary>PUT /api/attachments/{path}: streamed uploads with a size limit and a content-type allow-list, in every storage mode.</summary>
public sealed class AttachmentsApiTests : ApiTest
{
    private const int Limit = 1024 * 1024;

    private readonly UploadCounter _uploaded = new();

    public override ValueTask InitializeAsync()
    {
        Factory.Settings["Neptune:Attachments:MaxBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Factory.TestServices = CountUploads;
        return base.InitializeAsync();
    }

    [Fact]
    public async Task Upload_then_download_returns_the_same_bytes()
    {
        var bytes = Enumerable.Range(0, 200_000).Select(i => (byte)(i % 251)).ToArray();

        var put = await Client.PutAsync("/api/attachments/img/chart.png", Body(bytes, "image/png"));

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("/api/attachments/img/chart.png", put.Headers.Location?.OriginalString);
        var got = await Client.GetAsync("/api/attachments/img/chart.png");
        Assert.Equal("image/png", got.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes, await got.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Upload_declared_over_the_limit_is_refused_before_its_body_is_read()
    {
        var body = new GeneratedContent(50L * 1024 * 1024, declareLength: true);

        var response = await SendAsync(body, "big.png", "image/png");

        var problem = await response.ProblemAsync(413);
        Assert.Equal("body", problem.Field);
        Assert.Contains("Neptune:Attachments:MaxBytes", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(0, _uploaded.BytesRead);  // the store was never handed the body
    }

    [Fact]
    public async Task Upload_streamed_over_the_limit_is_cut_off_without_buffering_it()
    {
        // Over a real socket (Kestrel), not the in-memory test server, whose pipe keeps what the app leaves unread.
        await using var factory = new NeptuneFactory();
        factory.Settings["Neptune:Attachments:MaxBytes"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        factory.TestServices = CountUploads;
        factory.UseKestrel(0);
        factory.StartServer();
        using var client = factory.CreateClient();
        await PutAsync(client, new GeneratedContent(1000, declareLength: false), "warm-up.png", "image/png");  // the app's first request allocates on its own
        var body = new GeneratedContent(50L * 1024 * 1024, declareLength: false);
        var readBefore = _uploaded.BytesRead;  // the warm-up's 1,000 bytes
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        HttpResponseMessage? response = null;
        try
        {
            response = await PutAsync(client, body, "big.png", "image/png");
        }
        catch (HttpRequestException)
        {
            // Kestrel may close the connection on a body it will not read; then the answer is lost to this client, not the refusal.
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        TestContext.Current.TestOutputHelper?.WriteLine($"allocated {allocated:N0} bytes; client sent {body.Produced:N0}; store read {_uploaded.BytesRead - readBefore:N0}");
        if (response is not null)
        {
            Assert.Equal("body", (await response.ProblemAsync(413)).Field);
        }

        // The app read up to the limit (the read that crossed it failed) and stopped: it never holds more than one buffer of the body.
        // Not asserted: the process-wide allocation, which grows with what the client keeps sending after the refusal (the transport's share).
        Assert.InRange(_uploaded.BytesRead - readBefore, Limit - (128 * 1024), Limit);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/attachments/big.png")).StatusCode);
        Assert.DoesNotContain(Directory.EnumerateFiles(factory.DataDir, "*", SearchOption.AllDirectories), f => !Path.GetFileName(f).StartsWith("neptune.db", StringComparison.Ordinal) && !f.Contains("warm-up", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("page.html", "text/html", "is not accepted")]
    [InlineData("drawing.svg", "image/svg+xml", "is not accepted")]
    [InlineData("report.pdf", "image/png", "send Content-Type application/pdf")]
    [InlineData("photo.png", null, "Content-Type header")]
    public async Task Upload_with_a_refused_content_type_names_the_header_and_the_fix(string path, string? contentType, string fix)
    {
        var response = await SendAsync(new ByteArrayContent([1, 2, 3]), path, contentType);

        var problem = await response.ProblemAsync(415);
        Assert.Equal("Content-Type", problem.Field);
        Assert.Contains(fix, problem.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/attachments/{path}")).StatusCode);
    }

    [Theory]
    [InlineData("%5C..%5Cescape.png")]
    [InlineData("a%5C..%5C..%5Cescape.png")]
    [InlineData("C:%5Cescape.png")]
    public async Task Upload_to_a_path_outside_the_attachments_is_refused(string path)
    {
        var response = await SendAsync(new ByteArrayContent([1]), path, "image/png");

        Assert.Equal("path", (await response.ProblemAsync(400)).Field);
    }

    private Task<HttpResponseMessage> SendAsync(HttpContent content, string path, string? contentType) => PutAsync(Client, content, path, contentType);

    private void CountUploads(IServiceCollection services)
    {
        var real = services.Last(d => d.ServiceType == typeof(IAttachmentStore));
        services.Remove(real);
        services.AddSingleton(sp => new CountingAttachmentStore((IAttachmentStore)real.ImplementationFactory!(sp), _uploaded));
        services.AddSingleton<IAttachmentStore>(sp => sp.GetRequiredService<CountingAttachmentStore>());
    }

    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, HttpContent content, string path, string? contentType)
    {
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/attachments/{path}") { Content = content };
        if (content is GeneratedContent { DeclaresLength: false })
        {
            request.Headers.TransferEncodingChunked = true;  // else the test client buffers the body to learn its length
        }

        return await client.SendAsync(request);
    }

    private static ByteArrayContent Body(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }
}

internal sealed class UploadCounter
{
    private long _bytesRead;

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public void Add(int bytes) => Interlocked.Add(ref _bytesRead, bytes);
}

/// <summary>The app's attachment store, counting the bytes it reads from each upload's body.</summary>
internal sealed class CountingAttachmentStore(IAttachmentStore inner, UploadCounter counter) : IAttachmentStore
{
    public Task<Attachment> SaveAsync(UserId user, string relativePath, Stream content, CancellationToken ct) => inner.SaveAsync(user, relativePath, new Counting(content, counter), ct);

    public Task<Attachment?> FindAsync(UserId user, string relativePath, CancellationToken ct) => inner.FindAsync(user, relativePath, ct);

    public Task<Stream> OpenReadAsync(Attachment attachment, CancellationToken ct) => inner.OpenReadAsync(attachment, ct);

    public Task<IReadOnlyList<Attachment>> ListAsync(UserId user, CancellationToken ct) => inner.ListAsync(user, ct);

    private sealed class Counting(Stream inner, UploadCounter counter) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Counted(int read)
        {
            counter.Add(read);
            return read;
        }
    }
}

/// <summary>A large body made on the fly from one small buffer, counting how much of it the server pulled.</summary>
internal sealed class GeneratedContent(long length, bool declareLength) : HttpContent
{
    private long _produced;

    public long Produced => Interlocked.Read(ref _produced);

    public bool DeclaresLength => declareLength;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'x');
        try
        {
            for (long sent = 0; sent < length; sent += chunk.Length)
            {
                await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, length - sent)));
                Interlocked.Add(ref _produced, chunk.Length);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The server stopped reading: that is the point.
        }
    }

    protected override bool TryComputeLength(out long length1)
    {
        length1 = length;
        return declareLength;
    }
}
