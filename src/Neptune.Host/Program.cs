using Neptune.Host.Cli;

// `neptune` with no verb serves the desktop app, like double-clicking it would.
return await NeptuneCli.RunAsync(args);

namespace Neptune.Host
{
    /// <summary>Entry point type for WebApplicationFactory&lt;Program&gt;.</summary>
    public partial class Program;
}
