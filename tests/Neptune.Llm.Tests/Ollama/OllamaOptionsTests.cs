using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Neptune.Llm.Ollama;

namespace Neptune.Llm.Tests.Ollama;

public sealed class OllamaOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_leave_Ollama_unconfigured()
    {
        var options = new OllamaOptions();

        var result = new OllamaOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.False(options.IsConfigured);
        Assert.Equal("nomic-embed-text", options.EmbeddingModel);
        Assert.Null(options.ChatModel);
    }

    [Theory]
    [InlineData("EmbedTimeout", "00:00:00", "Neptune:Llm:Ollama:EmbedTimeout must be positive")]
    [InlineData("ChatTimeout", "-00:00:01", "Neptune:Llm:Ollama:ChatTimeout must be positive")]
    [InlineData("MetadataTimeout", "00:00:00", "Neptune:Llm:Ollama:MetadataTimeout must be positive")]
    [InlineData("ConnectTimeout", "00:00:00", "Neptune:Llm:Ollama:ConnectTimeout must be positive")]
    [InlineData("BaseUrl", "localhost:11434", "Neptune:Llm:Ollama:BaseUrl must be an absolute http:// or https:// URL")]
    [InlineData("KeepAlive", "5 minutes", "Neptune:Llm:Ollama:KeepAlive must be a duration")]
    [InlineData("EmbedBatchSize", "0", "Neptune:Llm:Ollama:EmbedBatchSize must be at least 1")]
    [InlineData("MaxConcurrency", "0", "Neptune:Llm:Ollama:MaxConcurrency must be at least 1")]
    [InlineData("MaxRetries", "-1", "Neptune:Llm:Ollama:MaxRetries must be 0")]
    [InlineData("CircuitFailureRatio", "1.5", "Neptune:Llm:Ollama:CircuitFailureRatio must be above 0")]
    [InlineData("CircuitMinimumThroughput", "1", "Neptune:Llm:Ollama:CircuitMinimumThroughput must be at least 2")]
    [InlineData("CircuitBreakDuration", "00:00:00.1", "Neptune:Llm:Ollama:CircuitBreakDuration must be between")]
    [InlineData("ChatModel", " ", "Neptune:Llm:Ollama:ChatModel must name an Ollama model")]
    public void A_bad_value_stops_the_start_with_a_message_naming_the_full_key(string key, string value, string message)
    {
        using var services = OllamaHarness.Services(("BaseUrl", "http://127.0.0.1:11434"), (key, value));

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(error.Failures, f => f.StartsWith(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("5m")]
    [InlineData("1h30m")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("300")]
    [InlineData("1.5h")]
    public void Keep_alive_accepts_what_Ollama_accepts(string keepAlive)
    {
        var result = new OllamaOptionsValidator().Validate(null, new OllamaOptions { KeepAlive = keepAlive });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Timeouts_longer_than_a_day_are_allowed()
    {
        using var services = OllamaHarness.Services(("BaseUrl", "http://127.0.0.1:11434"), ("ChatTimeout", "2.00:00:00"));

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(TimeSpan.FromDays(2), services.GetRequiredService<IOptions<OllamaOptions>>().Value.ChatTimeout);
    }
}
