using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Neptune.Api.Security;

namespace Neptune.Api.Tests.Security;

public sealed class SecurityModeTests
{
    private static SecurityMode Resolve(bool needsServiceToken = false, params (string Key, string Value)[] settings) =>
        SecurityMode.Resolve(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build(), needsServiceToken);

    [Fact]
    public void Desktop_defaults_to_no_tokens_on_loopback() =>
        Assert.False(Resolve(false, ("urls", "http://127.0.0.1:7700")).RequireTokens);

    [Theory]
    [InlineData("urls", "http://0.0.0.0:7700")]
    [InlineData("urls", "http://*:80")]
    [InlineData("Neptune:Database:Provider", "postgres")]
    public void Server_settings_turn_tokens_on_by_default(string key, string value) =>
        Assert.True(Resolve(false, (key, value)).RequireTokens);

    [Fact]
    public void Listening_beyond_loopback_without_tokens_is_refused_with_the_key_to_set()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(false, ("Neptune:Auth:Mode", "none"), ("urls", "http://0.0.0.0:7700")));
        Assert.Contains("Neptune:Auth:Mode=token", error.Message, StringComparison.Ordinal);
        Assert.False(Resolve(false, ("Neptune:Auth:Mode", "none"), ("urls", "http://[::1]:7700;http://localhost:7701")).RequireTokens);
    }

    [Fact]
    public void Roles_apart_with_tokens_need_a_long_service_token_and_origins_must_be_origins()
    {
        Assert.Contains("ServiceToken", Assert.Throws<OptionsValidationException>(() => Resolve(true, ("Neptune:Auth:Mode", "token"))).Message, StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(() => Resolve(true, ("Neptune:Auth:Mode", "token"), ("Neptune:Auth:ServiceToken", "short")));
        Assert.Throws<OptionsValidationException>(() => Resolve(false, ("Neptune:Auth:Mode", "sometimes")));
        Assert.Throws<OptionsValidationException>(() => Resolve(false, ("Neptune:Cors:Origins:0", "https://x.example.com/path")));
        Assert.Equal(["https://x.example.com"], Resolve(false, ("Neptune:Cors:Origins:0", "https://x.example.com/")).CorsOrigins);
    }
}
