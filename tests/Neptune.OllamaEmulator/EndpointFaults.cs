using System.Collections.Concurrent;

namespace Neptune.OllamaEmulator;

/// <summary>Faults injected into one endpoint: a delay, failing statuses, cut-off bodies, canned bodies, a mid-stream error.</summary>
internal sealed class EndpointFaults
{
    public TimeSpan Delay { get; set; }

    public int FailuresLeft { get; set; }

    public int FailureStatus { get; set; }

    public string FailureError { get; set; } = "";

    public int MalformedLeft { get; set; }

    public string? MidStreamError { get; set; }

    public ConcurrentQueue<(int Status, string Json)> Canned { get; } = new();

    public (int Status, string Error)? TakeFailure()
    {
        lock (this)
        {
            if (FailuresLeft <= 0)
            {
                return null;
            }

            FailuresLeft--;
            return (FailureStatus, FailureError);
        }
    }

    public bool TakeMalformed()
    {
        lock (this)
        {
            if (MalformedLeft <= 0)
            {
                return false;
            }

            MalformedLeft--;
            return true;
        }
    }
}
