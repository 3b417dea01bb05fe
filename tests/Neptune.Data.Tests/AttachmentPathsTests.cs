namespace Neptune.Data.Tests;

public sealed class AttachmentPathsTests
{
    [Theory]
    [InlineData("assets/pic.png", "assets/pic.png")]
    [InlineData("./assets//pic.png", "assets/pic.png")]
    [InlineData("a/../b.png", "b.png")]
    [InlineData("a\\b.png", "a/b.png")]
    public void Normalises_relative_paths(string input, string expected) =>
        Assert.Equal(expected, AttachmentPaths.Normalize(input));

    [Theory]
    [InlineData("../secret")]
    [InlineData("a/../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("C:\\Windows")]
    [InlineData("")]
    [InlineData("a\0b")]
    public void Refuses_paths_that_escape_the_attachments_folder(string input) =>
        Assert.Null(AttachmentPaths.Normalize(input));

    [Fact]
    public async Task Saving_an_escaping_path_is_refused_and_writes_nothing()
    {
        await using var store = await StoreFixture.CreateAsync();
        var attachments = store.Get<IAttachmentStore>();

        await Assert.ThrowsAsync<Neptune.Core.NeptuneException>(() => attachments.SaveAsync(UserId.Local, "../../evil.sh", new MemoryStream([1, 2, 3]), CancellationToken.None));

        Assert.False(File.Exists(Path.Combine(store.DataDir, "..", "evil.sh")));
        Assert.Empty(await attachments.ListAsync(UserId.Local, CancellationToken.None));
    }
}
