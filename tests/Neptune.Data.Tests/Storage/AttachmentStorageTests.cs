using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Neptune.Core;
using Neptune.Data.Storage;

namespace Neptune.Data.Tests.Storage;

/// <summary>Attachment bytes per mode on the real S3 server, and the key layout that keeps every object under its store's prefix.</summary>
public sealed partial class AttachmentStorageTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Theory]
    [InlineData("db", StoreProvider.Sqlite)]
    [InlineData("dual", StoreProvider.Sqlite)]
    [InlineData("s3", StoreProvider.Sqlite)]
    [InlineData("db", StoreProvider.Postgres)]
    [InlineData("s3", StoreProvider.Postgres)]
    public async Task Each_mode_round_trips_attachment_bytes(string mode, StoreProvider provider)
    {
        await using var s3 = await S3Store.CreateAsync(mode, provider);
        var attachments = s3.Store.Get<IAttachmentStore>();
        var bytes = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();

        var saved = await attachments.SaveAsync(UserId.Local, "img/diagram ü.png", new MemoryStream(bytes), Ct);
        var found = await attachments.FindAsync(UserId.Local, "img/diagram ü.png", Ct);
        await using var read = await attachments.OpenReadAsync(found!, Ct);
        var copy = new MemoryStream();
        await read.CopyToAsync(copy, Ct);

        Assert.Equal(bytes, copy.ToArray());
        Assert.Equal(("img/diagram ü.png", 300_000L, "image/png"), (saved.Path, saved.SizeBytes, saved.ContentType));
        var keys = await s3.KeysAsync();
        Assert.Equal(mode == "db" ? [] : [$"{s3.Prefix}/attachments/{saved.Sha256}"], keys);
        Assert.Equal(mode == "db", File.Exists(Path.Combine(s3.Store.DataDir, "attachments", "img", "diagram ü.png")));
    }

    [Fact]
    public async Task Crafted_names_never_put_an_object_outside_the_stores_prefix()
    {
        string[] crafted =
        [
            "../escape.png", "../../../etc/passwd", "/etc/passwd", "/abs.png", "a/../../b.png", "a/./../../c.png", "C:/windows/x.png",
            "C:\\x.png", "\\\\server\\share\\x.png", "a\\..\\..\\x.png", "%2e%2e/%2e%2e/x.png", "..%2f..%2fx.png", "%2F..%2Fx.png",
            "．．/．．/fullwidth.png", "\u2025/two-dot-leader.png", "a/\u0000/nul.png", "a/\u202e/rtl.png", "ok/ünïcødé ✓.png",
            "notes/../../../other-prefix/x.png", "t00000000000000000000000000000000/attachments/x.png",
        ];
        await using var s3 = await S3Store.CreateAsync("s3");
        var attachments = s3.Store.Get<IAttachmentStore>();
        var before = (await s3.KeysAsync("")).ToHashSet(StringComparer.Ordinal);

        var accepted = new List<Attachment>();
        foreach (var (name, i) in crafted.Select((n, i) => (n, i)))
        {
            try
            {
                accepted.Add(await attachments.SaveAsync(UserId.Local, name, new MemoryStream(Encoding.UTF8.GetBytes($"file {i}")), Ct));
            }
            catch (NeptuneException e) when (e.Kind == ErrorKind.Invalid)
            {
                Assert.Equal("path", e.Field);
            }
        }

        // Objects made meanwhile by other tests sit under their own t<guid>/ prefixes; none may sit anywhere else.
        var made = (await s3.KeysAsync("")).Where(k => !before.Contains(k)).ToList();
        Assert.All(made, k => Assert.Matches(OtherTestPrefix(), k));
        Assert.Equal(accepted.Select(a => $"{s3.Prefix}/attachments/{a.Sha256}").Order(StringComparer.Ordinal),
            (await s3.KeysAsync()).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(accepted, a => a.Path.Split('/').Any(s => s is ".." or "." or "") || a.Path.StartsWith('/'));
        Assert.Contains(accepted, a => a.Path == "ok/ünïcødé ✓.png");
    }

    [Theory]
    [InlineData("neptune/../other")]
    [InlineData("neptune/.")]
    [InlineData("/neptune")]
    [InlineData("neptune/")]
    [InlineData("Neptune")]
    [InlineData("nep%2e%2e")]
    [InlineData("nep\\tune")]
    [InlineData("")]
    public void A_crafted_prefix_is_refused(string prefix) => Assert.False(ObjectKeys.IsValidPrefix(prefix));

    [Theory]
    [InlineData("neptune/notes/../../other/x")]
    [InlineData("neptune-other/x")]
    [InlineData("neptune//x")]
    [InlineData("other/neptune/x")]
    [InlineData("neptune/./x")]
    [InlineData("neptune/a\\..\\..\\x")]
    public void A_key_outside_the_prefix_is_refused_before_it_is_sent(string key) =>
        Assert.Throws<ArgumentException>(() => new ObjectKeys("neptune").Require(key));

    [Theory]
    [InlineData("../../../../etc/passwd")]
    [InlineData("ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789")]
    [InlineData("0123")]
    public void Keys_are_built_from_digests_only(string notADigest)
    {
        var keys = new ObjectKeys("neptune");
        Assert.Throws<ArgumentException>(() => keys.Attachment(notADigest));
        Assert.Throws<ArgumentException>(() => keys.Note(notADigest));
        Assert.Equal($"neptune/notes/{new string('a', 64)}.md", keys.Note(new string('a', 64)));
    }

    [Fact]
    public async Task An_upload_object_storage_does_not_take_leaves_no_row_behind()
    {
        await using var s3 = await S3Store.CreateAsync("s3", StoreProvider.Sqlite, endpoint: "http://127.0.0.1:1");
        var attachments = s3.Store.Get<IAttachmentStore>();

        var failure = await Assert.ThrowsAsync<NeptuneException>(() => attachments.SaveAsync(UserId.Local, "a.png", new MemoryStream([1, 2, 3]), Ct));

        Assert.Equal(ErrorKind.Unavailable, failure.Kind);
        Assert.Contains("Nothing was written", failure.Message, StringComparison.Ordinal);
        Assert.Null(await attachments.FindAsync(UserId.Local, "a.png", Ct));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(s3.Store.DataDir, "tmp")));
    }

    [Theory]
    [InlineData(null, "dual", "dual")]
    [InlineData("s3", "dual", "s3")]
    [InlineData("s3", null, "s3")]
    [InlineData(null, null, "db")]
    public void Neptune_storage_settings_win_over_the_original_environment_names(string? neptune, string? alias, string expected)
    {
        var values = new Dictionary<string, string?>
        {
            ["S3_ENDPOINT"] = "http://alias:9000", ["S3_ACCESS_KEY"] = "key", ["S3_SECRET_KEY"] = "secret",
            ["S3_BUCKET"] = "from-alias", ["Neptune:Storage:S3:Bucket"] = "from-neptune",
        };
        if (neptune is not null)
        {
            values["Neptune:Storage:Mode"] = neptune;
        }

        if (alias is not null)
        {
            values["STORAGE_MODE"] = alias;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddNeptuneStore().BuildServiceProvider();
        var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;

        Assert.Equal(expected, options.Mode);
        Assert.Equal("from-neptune", options.S3.Bucket);
        Assert.Equal(("http://alias:9000", "key", "secret"), (options.S3.Endpoint, options.S3.AccessKey, options.S3.SecretKey));
    }

    [GeneratedRegex("^t[0-9a-f]{32}/(notes|attachments)/[0-9a-f]{64}(\\.md)?$")]
    private static partial Regex OtherTestPrefix();
}
