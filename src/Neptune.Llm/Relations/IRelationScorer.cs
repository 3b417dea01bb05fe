namespace Neptune.Llm.Relations;

/// <summary>Two topic labels whose relation should be scored (order does not matter).</summary>
public sealed record TopicPair(string A, string B);

/// <summary>
/// How strongly two topics are related, 0 (unrelated) to 1 (the same idea), and who said so:
/// "llm:&lt;model&gt;" or "embedding:&lt;model&gt;".
/// </summary>
public sealed record TopicRelation(string A, string B, double Strength, string Source);

/// <summary>Scores topic pairs; one result per input pair, in input order.</summary>
public interface IRelationScorer
{
    Task<IReadOnlyList<TopicRelation>> ScoreAsync(IReadOnlyList<TopicPair> pairs, CancellationToken cancellationToken = default);
}
