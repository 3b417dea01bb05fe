using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Neptune.Core;
using Neptune.Data;

namespace Neptune.Api.Attachments;

public static class AttachmentsApi
{
    public static RouteGroupBuilder MapAttachmentsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/attachments").WithTags("Attachments");
        group.MapGet("/", async (IAttachmentStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct)));
        group.MapGet("/{**path}", async Task<IResult> (string path, IAttachmentStore store, CancellationToken ct) =>
        {
            var found = await store.FindAsync(path, ct) ?? throw new NeptuneException(ErrorKind.NotFound, $"No attachment at '{path}'.");
            // Served as a download unless it is a plain media type, so an uploaded HTML/SVG file cannot run script in Neptune's origin.
            var inline = found.Attachment.ContentType.StartsWith("image/", StringComparison.Ordinal) && found.Attachment.ContentType != "image/svg+xml"
                || found.Attachment.ContentType.StartsWith("audio/", StringComparison.Ordinal)
                || found.Attachment.ContentType.StartsWith("video/", StringComparison.Ordinal)
                || found.Attachment.ContentType == "application/pdf";
            return TypedResults.PhysicalFile(found.FilePath, found.Attachment.ContentType,
                inline ? null : Path.GetFileName(found.Attachment.Path), enableRangeProcessing: true);
        }).WithSummary("Download an attachment by its path");
        return group;
    }
}
