using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Neptune.Core;

namespace Neptune.Api.Notes;

/// <summary>A note's ETag is its version; If-Match carries it back for optimistic concurrency.</summary>
public static class ETags
{
    public static string For(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>The version the client last saw; null for <c>If-Match: *</c> or, when not required, no header.</summary>
    public static long? ExpectedVersion(HttpRequest request, bool required)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return required
                ? throw new NeptuneException(ErrorKind.PreconditionRequired,
                    "This change needs an If-Match header with the note's ETag (from GET /api/notes/{id}), so that no one's edit is silently overwritten.", "If-Match")
                : null;
        }

        if (header.Trim() == "*")
        {
            return null;
        }

        // A list ("1", "2") names every version the client would accept; Neptune checks against one, so the newest is the one that can match.
        if (EntityTagHeaderValue.TryParseList([header], out var tags) && tags.Count > 0)
        {
            long? newest = null;
            foreach (var tag in tags)
            {
                if (!long.TryParse(tag.Tag.AsSpan().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                {
                    newest = null;
                    break;
                }

                newest = Math.Max(newest ?? 0, version);
            }

            if (newest is not null)
            {
                return newest;
            }
        }

        throw NeptuneException.Invalid("If-Match", $"If-Match '{header}' is not an ETag Neptune issued: send the ETag header of the note, e.g. \"3\".");
    }

    public static void Set(HttpResponse response, long version) => response.Headers.ETag = For(version);
}
