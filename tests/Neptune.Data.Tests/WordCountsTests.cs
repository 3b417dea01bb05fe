namespace Neptune.Data.Tests;

public sealed class WordCountsTests
{
    [Fact]
    public async Task Counts_say_in_how_many_live_notes_each_word_occurs()
    {
        await using var store = await StoreFixture.CreateAsync();
        var ct = TestContext.Current.CancellationToken;
        await store.Notes.CreateAsync(UserId.Local, new NewNote(null, "Routing", "Routers forward packets. Packets again."), ct);
        await store.Notes.CreateAsync(UserId.Local, new NewNote(null, "Firewalls", "A firewall drops packets."), ct);
        var trashed = await store.Notes.CreateAsync(UserId.Local, new NewNote(null, "Scratch", "packets in the trash"), ct);
        await store.Notes.DeleteAsync(UserId.Local, trashed.Id, null, ct);

        var counts = await store.Get<IWordCounts>().CountAsync(["packets", "firewall", "routers", "nowhere"], ct);

        Assert.Equal(2, counts.Notes);
        Assert.Equal(2, counts.Documents["packets"]);
        Assert.Equal(1, counts.Documents["firewall"]);
        Assert.False(counts.Documents.ContainsKey("nowhere"));
        Assert.True(counts.Idf("nowhere") > counts.Idf("firewall"));
        Assert.True(counts.Idf("firewall") > counts.Idf("packets"));
    }
}
