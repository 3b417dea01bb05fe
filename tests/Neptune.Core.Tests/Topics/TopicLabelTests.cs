using Neptune.Core.Topics;

namespace Neptune.Core.Tests.Topics;

public sealed class TopicLabelTests
{
    [Theory]
    [InlineData("Kubernetes", "kubernetes")]
    [InlineData("  kubernetes\t", "kubernetes")]
    [InlineData("Shell   Scripting", "shell scripting")]
    [InlineData("\"Networking.\"", "networking")]
    [InlineData("SSH keys", "SSH keys")]
    [InlineData("TCP/IP", "TCP/IP")]
    [InlineData("...", "")]
    public void Normalize_folds_case_whitespace_and_punctuation_but_keeps_acronyms(string input, string expected) =>
        Assert.Equal(expected, TopicLabel.Normalize(input));

    [Theory]
    [InlineData("Kubernetes", "kubernetes")]
    [InlineData("Shell scripts", "shell script")]
    [InlineData("shell script", "shell script")]
    [InlineData("Libraries", "library")]
    [InlineData("processes", "process")]
    [InlineData("Boxes", "box")]
    [InlineData("file systems", "file system")]
    [InlineData("Linux", "linux")]
    [InlineData("status codes", "status code")]
    [InlineData("Regular Expressions", "regular expression")]
    public void Key_merges_spellings_and_plurals(string input, string expected) =>
        Assert.Equal(expected, TopicLabel.Key(input));

    [Fact]
    public void Same_idea_written_differently_has_one_key() =>
        Assert.Equal(TopicLabel.Key("Kubernetes Clusters"), TopicLabel.Key(" kubernetes   cluster "));

    [Fact]
    public void Labels_longer_than_the_limit_are_cut() =>
        Assert.True(TopicLabel.Normalize(new string('a', 200)).Length <= TopicLabel.MaxLength);
}
