using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Neptune.Indexer.Graph;

namespace Neptune.Indexer.Tests.Graph;

public sealed class GraphOptionsTests
{
    private static GraphOptions Bind(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddNeptuneIndexer().BuildServiceProvider();
        return services.GetRequiredService<IOptions<GraphOptions>>().Value;
    }

    [Fact]
    public void KG_variables_set_min_strength_and_max_edges()
    {
        var options = Bind(new() { ["KG_MIN_STRENGTH"] = "0.62", ["KG_MAX_EDGES"] = "7", ["Neptune:Graph:SemanticK"] = "3" });

        Assert.Equal((0.62, 7, 3), (options.MinStrength, options.MaxEdges, options.SemanticK));
    }

    [Fact]
    public void Neptune_graph_keys_win_over_the_KG_variables()
    {
        var options = Bind(new() { ["KG_MIN_STRENGTH"] = "0.62", ["Neptune:Graph:MinStrength"] = "0.4", ["KG_MAX_EDGES"] = "7", ["Neptune:Graph:MaxEdges"] = "9" });

        Assert.Equal((0.4, 9), (options.MinStrength, options.MaxEdges));
    }

    [Fact]
    public void An_out_of_range_strength_is_refused_naming_both_keys()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["KG_MIN_STRENGTH"] = "1.5" }));

        Assert.Contains("KG_MIN_STRENGTH", error.Message, StringComparison.Ordinal);
        Assert.Contains("Neptune:Graph:MinStrength", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_KG_value_that_is_no_number_is_refused_naming_the_key()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { ["KG_MAX_EDGES"] = "many" }));

        Assert.Contains("KG_MAX_EDGES", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Provenance_round_trips_both_directions_of_a_semantic_edge()
    {
        var text = EdgeProvenance.Format([new KnnChoice(34, 12, 0.65213), new KnnChoice(12, 34, 0.7134)]);

        Assert.Equal("knn:12->34=0.7134; knn:34->12=0.6521", text);
        Assert.Equal([new KnnChoice(12, 34, 0.7134), new KnnChoice(34, 12, 0.6521)], EdgeProvenance.Parse(text));
        Assert.Empty(EdgeProvenance.Parse("link:12->34"));
    }
}
