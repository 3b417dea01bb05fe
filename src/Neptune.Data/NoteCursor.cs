using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Neptune.Core;
using Neptune.Core.Notes;

namespace Neptune.Data;

/// <summary>Opaque keyset cursor: the sort key and id of the last note of a page, base64url-encoded.</summary>
public static class NoteCursor
{
    public static string Encode(NoteSummary last, NoteSort sort)
    {
        var key = sort switch
        {
            NoteSort.Title => "t:" + last.Title,
            NoteSort.Created => "c:" + last.CreatedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            _ => "u:" + last.UpdatedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        };
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(key + "\n" + last.Id.ToString(CultureInfo.InvariantCulture)));
    }

    public static (object Key, long Id) Decode(string cursor, NoteSort sort)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            var newline = text.LastIndexOf('\n');
            var id = long.Parse(text.AsSpan(newline + 1), CultureInfo.InvariantCulture);
            var key = text[..newline];
            var expected = sort switch { NoteSort.Title => "t:", NoteSort.Created => "c:", _ => "u:" };
            if (!key.StartsWith(expected, StringComparison.Ordinal))
            {
                throw new FormatException();
            }

            return sort == NoteSort.Title ? (key[2..], id) : (long.Parse(key.AsSpan(2), CultureInfo.InvariantCulture), id);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw NeptuneException.Invalid("cursor", "The cursor is not valid for this listing: pass the 'nextCursor' of the previous page unchanged, with the same 'sort'.");
        }
    }
}
