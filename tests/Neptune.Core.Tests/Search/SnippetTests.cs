using Neptune.Core.Search;

namespace Neptune.Core.Tests.Search;

public sealed class SnippetTests
{
    [Fact]
    public void Marks_every_query_word_in_the_best_window()
    {
        var text = string.Join(' ', Enumerable.Repeat("filler", 40)) + " the Tomatoes need sun and more tomatoes " + string.Join(' ', Enumerable.Repeat("filler", 40));

        var snippet = Snippet.Build(text, FtsQuery.Parse("tomatoes sun"));

        Assert.StartsWith("…", snippet, StringComparison.Ordinal);
        Assert.EndsWith("…", snippet, StringComparison.Ordinal);
        Assert.Contains("<mark>Tomatoes</mark> need <mark>sun</mark>", snippet, StringComparison.Ordinal);
    }

    [Fact]
    public void Escapes_note_html_around_the_marks()
    {
        var snippet = Snippet.Build("<script>alert(1)</script> tomatoes & <b>more</b>", FtsQuery.Parse("tomatoes"));

        Assert.DoesNotContain("<script>", snippet, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", snippet, StringComparison.Ordinal);
        Assert.Contains("<mark>tomatoes</mark> &amp; &lt;b&gt;", snippet, StringComparison.Ordinal);
    }

    [Fact]
    public void Matches_prefixes_accents_and_phrase_words()
    {
        var snippet = Snippet.Build("Kubernetes runs on the Café cluster", FtsQuery.Parse("kube* cafe \"the cluster\""));

        Assert.Contains("<mark>Kubernetes</mark>", snippet, StringComparison.Ordinal);
        Assert.Contains("<mark>Café</mark>", snippet, StringComparison.Ordinal);
        Assert.Contains("<mark>cluster</mark>", snippet, StringComparison.Ordinal);
        Assert.DoesNotContain("<mark>runs</mark>", snippet, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_match_in_the_text_it_shows_the_beginning()
    {
        Assert.Equal("first words here", Snippet.Build("first words here", FtsQuery.Parse("absent")));
        Assert.Equal("", Snippet.Build("   ", FtsQuery.Parse("absent")));
    }
}
