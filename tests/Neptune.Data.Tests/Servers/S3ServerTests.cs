using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Neptune.Data.Tests.Servers;

/// <summary>The S3 server that server mode keeps notes and attachments in answers the AWS SDK.</summary>
public sealed class S3ServerTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Put_get_list_delete_round_trip()
    {
        var server = TestServers.S3;
        using var client = new AmazonS3Client(new BasicAWSCredentials(server.AccessKey, server.SecretKey), new AmazonS3Config
        {
            ServiceURL = server.Endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            // radosgw 18 predates the SDK's default CRC checksums on every request.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
        var prefix = $"tests/{Guid.NewGuid():N}/";
        var key = prefix + "hello.md";

        await client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = server.Bucket,
            Key = key,
            ContentBody = "# Hello\nfrom Neptune ✓",
            ContentType = "text/markdown",
        }, Ct);

        using (var got = await client.GetObjectAsync(server.Bucket, key, Ct))
        using (var reader = new StreamReader(got.ResponseStream, Encoding.UTF8))
        {
            Assert.Equal("# Hello\nfrom Neptune ✓", await reader.ReadToEndAsync(Ct));
            Assert.Equal("text/markdown", got.Headers.ContentType);
        }

        var listed = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = server.Bucket, Prefix = prefix }, Ct);
        Assert.Equal([key], listed.S3Objects.Select(o => o.Key));

        await client.DeleteObjectAsync(server.Bucket, key, Ct);
        var after = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = server.Bucket, Prefix = prefix }, Ct);
        Assert.Empty(after.S3Objects ?? []);
    }
}
