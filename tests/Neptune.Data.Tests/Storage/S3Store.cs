using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Neptune.Data.Tests.Servers;

namespace Neptune.Data.Tests.Storage;

/// <summary>A store in one storage mode on the real S3 server, under a key prefix of its own, with a raw client to look behind its back.</summary>
internal sealed class S3Store : IAsyncDisposable
{
    private S3Store(StoreFixture store, AmazonS3Client client, string bucket, string prefix)
    {
        Store = store;
        Client = client;
        Bucket = bucket;
        Prefix = prefix;
    }

    public StoreFixture Store { get; }

    public AmazonS3Client Client { get; }

    public string Bucket { get; }

    public string Prefix { get; }

    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N");

    public static AmazonS3Client RawClient(S3Server server) => new(new BasicAWSCredentials(server.AccessKey, server.SecretKey), new AmazonS3Config
    {
        ServiceURL = server.Endpoint.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    /// <summary>Mode <paramref name="mode"/> on the real server; <paramref name="endpoint"/> overrides it (e.g. a port nobody listens on).</summary>
    public static async Task<S3Store> CreateAsync(string mode, StoreProvider provider = StoreProvider.Sqlite, string? endpoint = null)
    {
        var server = TestServers.S3;
        var prefix = NewPrefix();
        var store = await StoreFixture.CreateAsync(new Dictionary<string, string?>
        {
            ["Neptune:Storage:Mode"] = mode,
            ["Neptune:Storage:S3:Endpoint"] = endpoint ?? server.Endpoint.ToString(),
            ["Neptune:Storage:S3:AccessKey"] = server.AccessKey,
            ["Neptune:Storage:S3:SecretKey"] = server.SecretKey,
            ["Neptune:Storage:S3:Bucket"] = server.Bucket,
            ["Neptune:Storage:S3:Prefix"] = prefix,
            ["Neptune:Storage:S3:MaxRetries"] = "0",
            ["Neptune:Storage:S3:TimeoutSeconds"] = "5",
        }, provider: provider);
        return new S3Store(store, RawClient(server), server.Bucket, prefix);
    }

    public async Task<List<string>> KeysAsync(string? prefix = null)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix ?? Prefix + "/" };
        ListObjectsV2Response response;
        do
        {
            response = await Client.ListObjectsV2Async(request);
            keys.AddRange((response.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);

        return keys;
    }

    public async Task<string?> ReadAsync(string key)
    {
        try
        {
            using var got = await Client.GetObjectAsync(Bucket, key);
            using var reader = new StreamReader(got.ResponseStream);
            return await reader.ReadToEndAsync();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task WriteAsync(string key, string body) =>
        Client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = body, UseChunkEncoding = false });

    public Task DeleteAsync(string key) => Client.DeleteObjectAsync(Bucket, key);

    public async ValueTask DisposeAsync()
    {
        foreach (var key in await KeysAsync())
        {
            await Client.DeleteObjectAsync(Bucket, key);
        }

        Client.Dispose();
        await Store.DisposeAsync();
    }
}
