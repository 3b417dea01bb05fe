using System.Globalization;

namespace Neptune.Data;

/// <summary>
/// The user whose knowledge base a store call reads or writes. Every store method over user data takes one, so a call
/// that forgets it does not compile; another user's row answers as a missing one does.
/// </summary>
public readonly record struct UserId(long Value)
{
    /// <summary>The built-in user (migration 007/008 creates it): the desktop, the CLI and all data from before accounts.</summary>
    public static readonly UserId Local = new(1);

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
