using System.Globalization;
using Neptune.Core;

namespace Neptune.Api.Search;

/// <summary>
/// The from/to query parameters: a day (2024-05-31, UTC; "to" then means through the end of that day) or an instant
/// (2024-05-31T14:00:00Z, UTC when no offset is given). From is inclusive, to exclusive.
/// </summary>
public static class UpdatedRange
{
    public static (DateTimeOffset? From, DateTimeOffset? To) Parse(string? from, string? to)
    {
        var start = Parse(from, "from", nextDay: false);
        var end = Parse(to, "to", nextDay: true);
        if (start is { } s && end is { } e && e <= s)
        {
            throw NeptuneException.Invalid("to", $"'to' ({to}) must be after 'from' ({from}): swap them, or widen the range.");
        }

        return (start, end);
    }

    private static DateTimeOffset? Parse(string? value, string field, bool nextDay)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(nextDay ? 1 : 0);
        }

        if (text.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            return instant;
        }

        throw NeptuneException.Invalid(field, $"'{field}' must be a date such as 2024-05-31 or a time such as 2024-05-31T14:00:00Z; '{value}' is neither.");
    }
}
