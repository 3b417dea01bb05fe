using System.CommandLine;
using System.Globalization;
using Neptune.Core;
using Neptune.Data;

namespace Neptune.Host.Cli;

/// <summary>`neptune users add|list` and `neptune tokens create|list|revoke`: server mode's accounts, in the configured database.</summary>
public static class AccountsCommands
{
    public static Command Users()
    {
        var command = new Command("users", "Users of server mode (for now they share one knowledge base; see docs/decisions.md)");
        var name = new Argument<string>("name") { Description = "1–64 lowercase letters, digits, '.', '_' or '-'" };
        var add = new Command("add", "Add a user; then `neptune tokens create --user NAME` gives them a token") { name };
        add.SetAction((parse, ct) => NeptuneCli.WithStoreAsync(parse, async context =>
        {
            var user = await context.Get<IAccountStore>().AddUserAsync(parse.GetValue(name)!, ct);
            if (context.JsonOutput)
            {
                CliContext.WriteJson(user);
            }
            else
            {
                Console.WriteLine($"Added user {user.Name} (id {user.Id}). Give them a token: neptune tokens create --user {user.Name}");
                // Isolation between users is designed (docs/decisions.md) but not built yet: say so where users are made.
                Console.Error.WriteLine("Note: every user currently sees the same notes (one shared knowledge base); per-user isolation is not there yet.");
            }

            return 0;
        }, ct));

        var list = new Command("list", "List users");
        list.SetAction((parse, ct) => NeptuneCli.WithStoreAsync(parse, async context =>
        {
            var users = await context.Get<IAccountStore>().ListUsersAsync(ct);
            if (context.JsonOutput)
            {
                CliContext.WriteJson(new { users });
                return 0;
            }

            Console.WriteLine($"{"ID",-6}{"NAME",-24}CREATED");
            foreach (var u in users)
            {
                Console.WriteLine($"{u.Id,-6}{u.Name,-24}{u.CreatedAt:u}");
            }

            return 0;
        }, ct));
        command.Subcommands.Add(add);
        command.Subcommands.Add(list);
        return command;
    }

    public static Command Tokens()
    {
        var command = new Command("tokens", "Personal access tokens (Authorization: Bearer …), stored hashed; the secret is shown once");
        var user = new Option<string>("--user") { Description = "The user the token acts as", Required = true };
        var name = new Option<string?>("--name") { Description = "What the token is for (e.g. laptop, ci)" };
        var expires = new Option<string?>("--expires") { Description = "A lifetime (90d, 12h, 30m) or a UTC date/time (2027-01-31); default: never" };
        var create = new Command("create", "Create a token and print its secret (once: it is stored only as a hash)") { user, name, expires };
        create.SetAction((parse, ct) => NeptuneCli.WithStoreAsync(parse, async context =>
        {
            var now = context.Get<TimeProvider>().GetUtcNow();
            var created = await context.Get<IAccountStore>().CreateTokenAsync(
                parse.GetValue(user)!, parse.GetValue(name), ParseExpiry(parse.GetValue(expires), now), ct);
            if (context.JsonOutput)
            {
                CliContext.WriteJson(new { token = created.Secret, created.Token.Id, created.Token.UserName, created.Token.Name, created.Token.Prefix, created.Token.ExpiresAt });
                return 0;
            }

            Console.WriteLine(created.Secret);
            Console.Error.WriteLine($"Token {created.Token.Id} ({created.Token.Prefix}…) for {created.Token.UserName}, "
                + $"{(created.Token.ExpiresAt is { } at ? $"expires {at:u}" : "never expires")}. Copy it now: it is not shown again. "
                + $"Revoke it with `neptune tokens revoke {created.Token.Prefix}`.");
            return 0;
        }, ct));

        var list = new Command("list", "List tokens: prefix, user, state, last use (never the secrets)");
        list.SetAction((parse, ct) => NeptuneCli.WithStoreAsync(parse, async context =>
        {
            var now = context.Get<TimeProvider>().GetUtcNow();
            var tokens = await context.Get<IAccountStore>().ListTokensAsync(ct);
            if (context.JsonOutput)
            {
                CliContext.WriteJson(new { tokens = tokens.Select(t => new { t.Id, t.UserName, t.Name, t.Prefix, state = t.State(now), t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt }) });
                return 0;
            }

            Console.WriteLine($"{"ID",-6}{"PREFIX",-14}{"USER",-16}{"NAME",-16}{"STATE",-9}{"EXPIRES",-22}LAST USED");
            foreach (var t in tokens)
            {
                Console.WriteLine($"{t.Id,-6}{t.Prefix,-14}{t.UserName,-16}{t.Name,-16}{t.State(now),-9}{(t.ExpiresAt is { } e ? e.ToString("u", CultureInfo.InvariantCulture) : "never"),-22}{(t.LastUsedAt is { } u ? u.ToString("u", CultureInfo.InvariantCulture) : "never")}");
            }

            return 0;
        }, ct));

        var which = new Argument<string>("token") { Description = "The token's id or its prefix (as `neptune tokens list` shows it)" };
        var revoke = new Command("revoke", "Revoke a token: every request with it is refused from now on") { which };
        revoke.SetAction((parse, ct) => NeptuneCli.WithStoreAsync(parse, async context =>
        {
            var token = await context.Get<IAccountStore>().RevokeTokenAsync(parse.GetValue(which)!, ct);
            if (context.JsonOutput)
            {
                CliContext.WriteJson(new { token.Id, token.Prefix, token.UserName, token.RevokedAt });
            }
            else
            {
                Console.WriteLine($"Revoked token {token.Id} ({token.Prefix}…) of {token.UserName} at {token.RevokedAt:u}.");
            }

            return 0;
        }, ct));
        command.Subcommands.Add(create);
        command.Subcommands.Add(list);
        command.Subcommands.Add(revoke);
        return command;
    }

    /// <summary>"90d", "12h", "30m" from now, or an absolute UTC date/time; null for no expiry.</summary>
    internal static DateTimeOffset? ParseExpiry(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Equals("never", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var text = value.Trim();
        if (text.Length > 1 && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            switch (char.ToLowerInvariant(text[^1]))
            {
                case 'd': return now.AddDays(n);
                case 'h': return now.AddHours(n);
                case 'm': return now.AddMinutes(n);
            }
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return at;
        }

        throw NeptuneException.Invalid("--expires", $"--expires '{value}' is not a lifetime (90d, 12h, 30m) or a UTC date/time (2027-01-31T12:00Z).");
    }
}
