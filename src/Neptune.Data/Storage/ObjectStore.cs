using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Neptune.Core;

namespace Neptune.Data.Storage;

/// <summary>One bucket of an S3-compatible server, every key under this store's prefix.</summary>
public interface IObjectStore
{
    ObjectKeys Keys { get; }

    /// <summary>Writes the object; throws <see cref="NeptuneException"/> (Unavailable) when the server does not take it.</summary>
    Task PutAsync(string key, Stream content, string contentType, CancellationToken ct);

    /// <summary>The object's bytes, or null when there is no such object.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken ct);

    /// <summary>The object's ETag without quotes (the MD5 of its bytes for a plain PUT), or null when there is none.</summary>
    Task<string?> GetETagAsync(string key, CancellationToken ct);

    Task DeleteAsync(string key, CancellationToken ct);

    /// <summary>Null when the bucket answers with these credentials, else what is wrong.</summary>
    Task<string?> CheckAsync(CancellationToken ct);
}

/// <summary>
/// <see cref="IObjectStore"/> on the AWS SDK: path-style addressing and checksums only when an operation needs them
/// (MinIO and radosgw answer the SDK v4's default CRC headers badly or not at all).
/// </summary>
public sealed class S3ObjectStore : IObjectStore, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _where;

    public S3ObjectStore(StorageOptions options)
    {
        var s3 = options.S3;
        _bucket = s3.Bucket!;
        _where = $"object storage at {s3.Endpoint} (bucket {_bucket})";
        Keys = new ObjectKeys(s3.Prefix);
        _client = new AmazonS3Client(new BasicAWSCredentials(s3.AccessKey, s3.SecretKey), new AmazonS3Config
        {
            ServiceURL = s3.Endpoint,
            ForcePathStyle = s3.ForcePathStyle,
            AuthenticationRegion = s3.Region,
            Timeout = TimeSpan.FromSeconds(s3.TimeoutSeconds),
            MaxErrorRetry = s3.MaxRetries,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
    }

    public ObjectKeys Keys { get; }

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken ct)
    {
        Keys.Require(key);
        await Call("store", key, () => _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket,
            Key = key,
            InputStream = content,
            AutoCloseStream = false,
            ContentType = contentType,
            UseChunkEncoding = false,
        }, ct));
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken ct)
    {
        Keys.Require(key);
        var response = await Call("read", key, async () =>
        {
            try
            {
                return await _client.GetObjectAsync(new GetObjectRequest { BucketName = _bucket, Key = key }, ct);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        });
        return response?.ResponseStream;
    }

    public async Task<string?> GetETagAsync(string key, CancellationToken ct)
    {
        Keys.Require(key);
        return await Call("check", key, async () =>
        {
            try
            {
                var head = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = key }, ct);
                return head.ETag?.Trim('"');
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        });
    }

    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        Keys.Require(key);
        await Call("delete", key, () => _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = key }, ct));
    }

    public async Task<string?> CheckAsync(CancellationToken ct)
    {
        try
        {
            await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = Keys.Prefix + "/", MaxKeys = 1 }, ct);
            return null;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return $"{_where}: the bucket does not exist; create it or fix {StorageOptions.Section}:S3:Bucket (S3_BUCKET).";
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            return $"{_where} refused the credentials ({e.ErrorCode}): fix {StorageOptions.Section}:S3:AccessKey and SecretKey (S3_ACCESS_KEY, S3_SECRET_KEY).";
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or TimeoutException
            or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return $"{_where} did not answer: {e.Message.TrimEnd('.')}. Check {StorageOptions.Section}:S3:Endpoint (S3_ENDPOINT) and that the server runs.";
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task<T> Call<T>(string what, string key, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or TimeoutException
            or TaskCanceledException { CancellationToken.IsCancellationRequested: false })
        {
            throw new NeptuneException(ErrorKind.Unavailable,
                $"Could not {what} '{key}' in {_where}: {e.Message}");
        }
    }
}
