using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Neptune.Core;
using Neptune.Api.Security;
using Neptune.Data;
using Neptune.Data.Sqlite;
using Neptune.Data.Storage;

namespace Neptune.Api.Attachments;

public static class AttachmentsApi
{
    public static RouteGroupBuilder MapAttachmentsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/attachments").WithTags("Attachments");
        group.MapGet("/", async (IAttachmentStore store, Caller caller, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(caller.Id, ct)));
        group.MapGet("/{**path}", async Task<IResult> (string path, IAttachmentStore store, Caller caller, CancellationToken ct) =>
        {
            var found = await store.FindAsync(caller.Id, path, ct) ?? throw new NeptuneException(ErrorKind.NotFound, $"No attachment at '{path}'.");
            // Served as a download unless it is a plain media type, so an uploaded HTML/SVG file cannot run script in Neptune's origin.
            var inline = found.ContentType.StartsWith("image/", StringComparison.Ordinal) && found.ContentType != "image/svg+xml"
                || found.ContentType.StartsWith("audio/", StringComparison.Ordinal)
                || found.ContentType.StartsWith("video/", StringComparison.Ordinal)
                || found.ContentType == "application/pdf";
            var bytes = await store.OpenReadAsync(found, ct);
            return TypedResults.Stream(bytes, found.ContentType, inline ? null : Path.GetFileName(found.Path),
                entityTag: new EntityTagHeaderValue($"\"{found.Sha256}\""), enableRangeProcessing: bytes.CanSeek);
        }).WithSummary("Download an attachment by its path");
        group.MapPut("/{**path}", UploadAsync)
            .WithSummary("Upload an attachment: the raw bytes as the body, with the Content-Type its extension implies (replaces one at the same path)");
        return group;
    }

    private static async Task<IResult> UploadAsync(string path, HttpRequest request, IAttachmentStore store, Caller caller, IOptions<AttachmentOptions> options, CancellationToken ct)
    {
        var limits = options.Value;
        var normalized = AttachmentPaths.Normalize(path)
            ?? throw NeptuneException.Invalid("path", $"'{path}' is not a relative path inside the attachments folder: no '..' above it, no leading '/', no drive letter.");
        CheckContentType(normalized, request.ContentType, limits);
        if (request.ContentLength > limits.MaxBytes)
        {
            return Refuse(request, TooLarge(request.ContentLength.Value, limits));  // before a byte of the body is read
        }

        // The server's own body limit (30 MB by default) would answer with a message about notes; this endpoint counts itself.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = null;
        }

        await using var body = new SizeLimitedStream(request.Body, limits.MaxBytes, read => TooLarge(read, limits));
        Attachment saved;
        try
        {
            saved = await store.SaveAsync(caller.Id, normalized, body, ct);
        }
        catch (NeptuneException e) when (e.Kind == ErrorKind.TooLarge)
        {
            return Refuse(request, e);
        }

        return TypedResults.Created($"/api/attachments/{Uri.EscapeDataString(saved.Path).Replace("%2F", "/", StringComparison.Ordinal)}", saved);
    }

    /// <summary>413 with Connection: close, so the server does not read (and drop) the rest of an oversized body.</summary>
    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Refuse(HttpRequest request, NeptuneException tooLarge)
    {
        request.HttpContext.Response.Headers.Connection = "close";
        return TypedResults.Problem(tooLarge.Message, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large",
            extensions: new Dictionary<string, object?> { ["field"] = tooLarge.Field });
    }

    private static void CheckContentType(string path, string? header, AttachmentOptions limits)
    {
        var allowed = limits.EffectiveContentTypes;
        var expected = ContentTypes.For(path);
        if (!MediaTypeHeaderValue.TryParse(header, out var parsed) || parsed.MediaType.Value is not { } mediaType)
        {
            throw new NeptuneException(ErrorKind.UnsupportedMediaType,
                $"Send the file's media type in the Content-Type header (for '{path}': {expected}).", "Content-Type");
        }

        if (!allowed.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            throw new NeptuneException(ErrorKind.UnsupportedMediaType,
                $"Content-Type {mediaType} is not accepted for attachments. Accepted: {string.Join(", ", allowed)} " +
                $"({AttachmentOptions.Section}:AllowedContentTypes).", "Content-Type");
        }

        if (!string.Equals(mediaType, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new NeptuneException(ErrorKind.UnsupportedMediaType,
                $"'{path}' is served as {expected} (by its extension) but was sent as {mediaType}: send Content-Type {expected}, " +
                $"or name the file with the extension of a {mediaType} file.", "Content-Type");
        }
    }

    private static NeptuneException TooLarge(long bytes, AttachmentOptions limits) => new(ErrorKind.TooLarge,
        $"The attachment is {(bytes > limits.MaxBytes ? "over " : "")}{bytes:N0} bytes; the limit is {limits.MaxBytes:N0} ({AttachmentOptions.Section}:MaxBytes). " +
        "Send a smaller file, or raise the limit.", "body");
}
