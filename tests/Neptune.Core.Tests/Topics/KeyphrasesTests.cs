using Neptune.Core.Topics;

namespace Neptune.Core.Tests.Topics;

public sealed class KeyphrasesTests
{
    private static List<string> Keys(string content, string title = "") =>
        [.. Keyphrases.Candidates(title, content, maxCandidates: 1000).Select(c => c.Key)];

    [Theory]
    [InlineData("Data is written to the file. System administrators read it later.")]
    [InlineData("Data is written to the file! System administrators read it later.")]
    [InlineData("Data is written to the file; system administrators read it later.")]
    [InlineData("Data is written to the file, system administrators read it later.")]
    [InlineData("Data is written to the file\nsystem administrators read it later.")]
    [InlineData("Data is written to the file\n\nsystem administrators read it later.")]
    [InlineData("# Data written to the file\nsystem administrators read it later.")]
    [InlineData("- data written to the file\n- system administrators read it later")]
    [InlineData("1. data written to the file\n2. system administrators read it later")]
    [InlineData("| data written to the file | system administrators |\n|---|---|\n| a | b |")]
    [InlineData("> data written to the file\n\nsystem administrators read it later.")]
    public void Candidates_never_span_a_sentence_line_heading_list_item_or_table_cell(string content)
    {
        var keys = Keys(content);

        Assert.Contains("file", keys);
        Assert.Contains("system administrator", keys);
        Assert.DoesNotContain(keys, k => k.Contains("file system", StringComparison.Ordinal));
    }

    [Fact]
    public void Phrases_are_cut_at_punctuation_inline_code_flags_and_numbers()
    {
        var phrases = Keyphrases.Phrases("Use the (network stack) now: route `tables` then -p mode 42 times, done.");

        Assert.Equal(
            [["Use", "the"], ["network", "stack"], ["now"], ["route"], ["tables"], ["then"], ["mode"], ["times"], ["done"]],
            phrases.Select(p => p.ToArray()));
    }

    [Fact]
    public void Stopwords_never_start_or_end_a_candidate_but_of_may_join_one()
    {
        var candidates = Keyphrases.Candidates("", "The point of sale is where the customer pays for the goods and then leaves.", 1000);

        Assert.All(candidates, c =>
        {
            var words = c.Key.Split(' ');
            Assert.False(Stopwords.Contains(words[0]), c.Key);
            Assert.False(Stopwords.Contains(words[^1]), c.Key);
        });
        Assert.Contains(candidates, c => c.Key == "point of sale");
        Assert.DoesNotContain(candidates, c => c.Key.StartsWith("the ", StringComparison.Ordinal));
    }

    [Fact]
    public void Code_front_matter_html_urls_link_targets_and_flags_are_never_candidates()
    {
        const string Note = """
            ---
            title: Deployments
            owner: frontmatterword
            ---
            # Rolling deployments

            A rolling deployment replaces pods gradually. Run `kubectl rollout inlinecodeword` to watch it.

            ```bash
            fencedcodeword --replicas 3
            ```

                indentedcodeword = compute(x);

            Read the [deployment guide](https://example.com/linktargetword) or https://urlword.example.org and www.otherurlword.net
            or <https://autolinkword.example.com>. Pass --force or -p to skip checks. Version 2024 shipped 1.25 fixes.
            <div class="htmlword">kept text</div>
            <!-- commentword -->
            """;

        var keys = Keys(Note);

        Assert.Contains("rolling deployment", keys);
        Assert.Contains("deployment guide", keys);
        foreach (var hidden in new[] { "frontmatterword", "inlinecodeword", "fencedcodeword", "indentedcodeword", "linktargetword",
            "urlword", "otherurlword", "autolinkword", "htmlword", "commentword", "kubectl", "force", "replica", "2024", "1.25" })
        {
            Assert.DoesNotContain(keys, k => k.Contains(hidden, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(keys, k => k.Length < 2 || k.StartsWith('-'));
    }

    [Fact]
    public void Wikilinks_count_by_their_display_text()
    {
        var keys = Keys("See [[Network Stack|packet routing]] and [[kernel tuning]] for details.");

        Assert.Contains("packet routing", keys);
        Assert.Contains("kernel tuning", keys);
        Assert.DoesNotContain(keys, k => k.Contains("network stack", StringComparison.Ordinal));
    }

    [Fact]
    public void A_note_made_mostly_of_indented_text_like_a_man_page_is_read_as_prose()
    {
        var cut = SharedDatasets.ManPages("cut.1")["cut.1"];

        var candidates = Keyphrases.Candidates(cut.Title, cut.Text);

        Assert.Contains(candidates, c => c.Key == "delimiter");
        Assert.Contains(candidates, c => c.Key == "output delimiter");
        Assert.DoesNotContain(candidates, c => c.Key.Contains("only-delimited", StringComparison.Ordinal));
    }

    [Fact]
    public void Candidates_are_ranked_by_weighted_frequency_with_the_title_counting_most_and_are_capped()
    {
        // packet: 3 (title) + 3; "packet filters": 3 × 1.5 for two words; firewall: 4; filter: 3 (title).
        var candidates = Keyphrases.Candidates(
            "Packet filters", "Firewalls drop packets. Firewalls log packets. Firewalls block packets. Firewalls are rules.", maxCandidates: 3);

        Assert.Equal(["packet", "packet filter", "firewall"], candidates.Select(c => c.Key));
        Assert.Equal("packet filters", candidates[1].Text);
    }

    [Fact]
    public void The_most_distinctive_candidates_are_rare_among_notes_rather_than_merely_frequent()
    {
        // "file" is the most frequent phrase here but occurs in every note; "delimiter" in few.
        var candidates = Keyphrases.Candidates("", "Cut reads a file. The file has fields. Each file line. A delimiter splits fields. The delimiter is a tab.", 1000);
        double Idf(string token) => token is "file" or "line" or "field" or "fields" ? 0.1 : 3;

        var best = Keyphrases.MostDistinctive(candidates, Idf, 2);

        Assert.Equal("file", candidates[0].Key);
        Assert.Contains(best, c => c.Key == "delimiter");
        Assert.DoesNotContain(best, c => c.Key == "file");
    }

    [Fact]
    public void Among_equally_frequent_and_rare_candidates_the_earliest_is_the_most_distinctive()
    {
        var candidates = Keyphrases.Candidates("Routing", string.Join(" ", Enumerable.Range(0, 150).Select(_ => "word")) + ". Tables. Firewalls.", 1000);

        var best = Keyphrases.MostDistinctive([.. candidates.Where(c => c.Key is "table" or "firewall")], _ => 1, 1);

        Assert.Equal("table", Assert.Single(best).Key);
        Assert.Equal(0, candidates.Single(c => c.Key == "routing").Position);
    }

    [Fact]
    public void The_most_used_spelling_is_the_display_text_and_plurals_share_a_key()
    {
        var candidates = Keyphrases.Candidates("", "Shell scripts run. Shell scripts stop. A shell script waits.", 1000);

        var script = Assert.Single(candidates, c => c.Key == "shell script");
        Assert.Equal("shell scripts", script.Text);
        Assert.Equal(3, script.Count);
    }

    [Theory]
    [InlineData("output delimiter", "delimiter", true)]
    [InlineData("systemd-networkd.service", "systemd-networkd", true)]
    [InlineData("ssh port forwarding", "port", true)]
    [InlineData("support", "port", false)]
    [InlineData("delimiter", "output delimiter", false)]
    public void Contains_finds_a_phrase_inside_another_only_at_word_or_compound_boundaries(string phrase, string part, bool expected) =>
        Assert.Equal(expected, Keyphrases.Contains(phrase, part));

    [Fact]
    public void Extraction_is_deterministic()
    {
        var sed = SharedDatasets.ManPages("sed.1")["sed.1"];

        Assert.Equal(Keyphrases.Candidates(sed.Title, sed.Text), Keyphrases.Candidates(sed.Title, sed.Text));
    }
}
