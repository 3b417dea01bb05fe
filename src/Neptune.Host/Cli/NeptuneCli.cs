using System.CommandLine;
using Microsoft.Extensions.Options;
using Neptune.Api.Search;
using Neptune.Core;
using Neptune.Core.Search;
using Neptune.Data;
using Neptune.Data.Transfer;
using Neptune.Llm.Contract;
using Spectre.Console;

namespace Neptune.Host.Cli;

/// <summary>The verbs of the `neptune` executable. Each takes --data DIR and --json; failures exit non-zero with a one-line reason.</summary>
public static class NeptuneCli
{
    private static readonly Option<string?> Data = new("--data") { Description = "Data folder (default: $NEPTUNE_DATA_DIR, else ~/.neptune)", Recursive = true };
    private static readonly Option<bool> Json = new("--json") { Description = "Machine-readable JSON output", Recursive = true };

    public static async Task<int> RunAsync(string[] args)
    {
        // WebApplicationFactory (and other generic-host tooling) starts the entry point with host settings as --key=value.
        if (args.Length > 0 && args.All(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal))
            && args.Any(a => a.StartsWith("--applicationName=", StringComparison.OrdinalIgnoreCase) || a.StartsWith("--environment=", StringComparison.OrdinalIgnoreCase)))
        {
            await NeptuneApp.Build(args, new Dictionary<string, string?>()).RunAsync();
            return 0;
        }

        var root = new RootCommand("Neptune: an offline-first knowledge base whose notes organise themselves.");
        root.Options.Add(Data);
        root.Options.Add(Json);

        var serve = ServeCommand.Create(Data);
        root.Subcommands.Add(serve);
        root.Subcommands.Add(Import());
        root.Subcommands.Add(Export());
        root.Subcommands.Add(Search());
        root.Subcommands.Add(Status());
        root.Subcommands.Add(Migrate());
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(AccountsCommands.Users());
        root.Subcommands.Add(AccountsCommands.Tokens());
        root.Subcommands.Add(EvalCommand.Create(Data, Json));
        root.SetAction((parse, ct) => ServeCommand.RunAsync(parse, Data, NeptuneApp.DefaultPort, ct));

        var parsed = root.Parse(args);
        // Ctrl-C cancels the verb and waits for it to clean up (eval drops its scratch database) rather than System.CommandLine's 2 s.
        return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
    }

    /// <summary>Runs a verb against the store, turning expected failures into one line on stderr and exit code 1.</summary>
    internal static Task<int> WithStoreAsync(ParseResult parse, Func<CliContext, Task<int>> work, CancellationToken ct) =>
        ReportFailuresAsync(parse.GetValue(Json), async () =>
        {
            await using var context = await CliContext.OpenAsync(parse.GetValue(Data), parse.GetValue(Json), ct);
            return await work(context);
        });

    /// <summary>Runs a verb, turning expected failures into one line on stderr (and {"error"} on stdout with --json) and exit code 1.</summary>
    internal static async Task<int> ReportFailuresAsync(bool json, Func<Task<int>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception e) when (e is NeptuneException or Neptune.Llm.LlmException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException or Npgsql.NpgsqlException
            or OptionsValidationException or System.Text.DecoderFallbackException or InvalidOperationException { InnerException: FormatException or ArgumentException })
        {
            if (json)
            {
                CliContext.WriteJson(new { error = e.Message });
            }

            Console.Error.WriteLine($"neptune: {e.Message}");
            return 1;
        }
    }

    private static Command Import()
    {
        var path = new Argument<string>("path") { Description = "A Markdown folder / Obsidian vault, or a JSONL file of {\"id\",\"title\",\"text\"} lines" };
        var command = new Command("import", "Import notes; importing the same source again updates, never duplicates") { path };
        command.SetAction((parse, ct) => WithStoreAsync(parse, async context =>
        {
            var importer = context.Get<Importer>();
            var source = parse.GetValue(path)!;
            ImportSummary summary;
            if (context.JsonOutput || Console.IsOutputRedirected)
            {
                summary = await importer.ImportAsync(source, null, ct);
            }
            else
            {
                summary = await AnsiConsole.Progress().AutoClear(true).StartAsync(async progress =>
                {
                    var task = progress.AddTask("Importing");
                    return await importer.ImportAsync(source, new Progress<ImportProgress>(p =>
                    {
                        task.Description = $"Importing {p.Stage}";
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Done;
                    }), ct);
                });
            }

            if (context.JsonOutput)
            {
                CliContext.WriteJson(summary);
                return 0;
            }

            Console.WriteLine($"Imported {summary.Source} in {summary.Elapsed.TotalSeconds:F1} s: {summary.Created} created, {summary.Updated} updated, {summary.Unchanged} unchanged, {summary.Folders} folders, {summary.Attachments} attachments.");
            if (summary.Skipped.Count > 0)
            {
                Console.WriteLine($"Skipped {summary.Skipped.Count}:");
                foreach (var skip in summary.Skipped)
                {
                    Console.WriteLine($"  {skip.Path}: {skip.Reason}");
                }
            }

            return 0;
        }, ct));
        return command;
    }

    private static Command Export()
    {
        var dir = new Argument<string>("dir") { Description = "A new or empty folder to write the Markdown notes into" };
        var command = new Command("export", "Export every note as Markdown (folders, front matter, tags and links intact)") { dir };
        command.SetAction((parse, ct) => WithStoreAsync(parse, async context =>
        {
            var summary = await context.Get<Exporter>().ExportAsync(parse.GetValue(dir)!, ct);
            if (context.JsonOutput)
            {
                CliContext.WriteJson(summary);
            }
            else
            {
                Console.WriteLine($"Exported {summary.Notes} notes, {summary.Folders} folders and {summary.Attachments} attachments to {summary.Target} in {summary.Elapsed.TotalSeconds:F1} s.");
            }

            return 0;
        }, ct));
        return command;
    }

    private static Command Search()
    {
        var query = new Argument<string>("query") { Description = "Words, \"a phrase\", prefix*, a OR b, -exclude, title:word" };
        var mode = new Option<string>("--mode") { Description = "fts, semantic, hybrid or auto (hybrid once notes have vectors, else fts)", DefaultValueFactory = _ => "auto" };
        var limit = new Option<int>("--limit") { Description = "Number of results", DefaultValueFactory = _ => 10 };
        var command = new Command("search", "Search notes") { query, mode, limit };
        command.SetAction((parse, ct) => WithStoreAsync(parse, async context =>
        {
            // The CLI embeds queries in-process, like desktop `serve`.
            var engine = ActivatorUtilities.CreateInstance<SearchEngine>(context.Services, (ILlmService)context.Get<LocalLlmService>());
            var outcome = await engine.SearchAsync(UserId.Local, new SearchQuery(parse.GetValue(query)!, SearchModes.Parse(parse.GetValue(mode), "--mode"), parse.GetValue(limit)), ct);
            if (context.JsonOutput)
            {
                CliContext.WriteJson(new
                {
                    mode = outcome.Mode.Name(),
                    outcome.Degraded,
                    results = outcome.Results.Select((r, i) => new { r.Note.Id, r.Note.Title, r.Note.SourceId, r.Note.FolderId, r.Score, rank = i + 1, r.Snippet, r.Why }),
                });
                return 0;
            }

            if (outcome.Degraded is not null)
            {
                Console.Error.WriteLine($"neptune: {outcome.Degraded}");
            }

            var rank = 0;
            foreach (var hit in outcome.Results)
            {
                var source = hit.Note.SourceId is null ? "" : $"  [{hit.Note.SourceId}]";
                Console.WriteLine($"{++rank,3}. {hit.Note.Title} (#{hit.Note.Id}){source}  {hit.Score:F3}");
                Console.WriteLine($"     {System.Net.WebUtility.HtmlDecode(hit.Snippet.Replace("<mark>", "[", StringComparison.Ordinal).Replace("</mark>", "]", StringComparison.Ordinal)).ReplaceLineEndings(" ")}");
            }

            if (outcome.Results.Count == 0)
            {
                Console.WriteLine("No notes match.");
            }

            return 0;
        }, ct));
        return command;
    }

    private static Command Status()
    {
        var command = new Command("status", "Counts of notes, folders and links, and how far indexing has come (with the notes that failed and why)");
        command.SetAction((parse, ct) => WithStoreAsync(parse, async context =>
        {
            var database = context.Get<IDatabase>();
            var counts = await database.GetCountsAsync(UserId.Local, ct);
            var options = context.Get<StoreOptions>();
            var model = await context.Get<IModelStore>().GetActiveAsync(ct);
            var index = await context.Get<IIndexStore>().GetStatusAsync(UserId.Local, 20, ct);
            if (context.JsonOutput)
            {
                CliContext.WriteJson(new { dataDir = options.DataDir, database = database.Provider, counts, model, index });
                return 0;
            }

            Console.WriteLine($"Data:        {options.DataDir} ({database.Provider})");
            Console.WriteLine($"Notes:       {counts.Notes:N0} in {counts.Folders:N0} folders, {counts.Attachments:N0} attachments, {counts.Trashed:N0} items in the trash");
            Console.WriteLine($"Links:       {counts.Links:N0} ({counts.DanglingLinks:N0} dangling)");
            Console.WriteLine(model is null
                ? "Model:       none active yet (`neptune serve` activates the embedded one)"
                : $"Model:       {model.Reference} ({model.ShortDigest}, {model.Dimensions} dims)");
            Console.WriteLine($"Index:       {index.Summary}; {index.QueueDepth:N0} jobs queued{(index.DeadJobs > 0 ? $", {index.DeadJobs:N0} dead" : "")}");
            foreach (var failure in index.Failures)
            {
                Console.WriteLine($"  failed #{failure.NoteId} {failure.Title}: {failure.Error}");
            }

            if (index.Failed > index.Failures.Count)
            {
                Console.WriteLine($"  … and {index.Failed - index.Failures.Count:N0} more (GET /api/index/status); retry with POST /api/index/retry");
            }

            return 0;
        }, ct));
        return command;
    }

    private static Command Migrate()
    {
        var command = new Command("migrate", "Apply database migrations (serve does this at start too)");
        command.SetAction((parse, ct) => WithStoreAsync(parse, async context =>
        {
            // CliContext applied them already; report what the schema is now.
            var problem = await context.Get<IDatabase>().CheckReadyAsync(ct);
            if (context.JsonOutput)
            {
                CliContext.WriteJson(new { ready = problem is null, problem });
            }
            else
            {
                Console.WriteLine(problem ?? "Database schema is up to date.");
            }

            return problem is null ? 0 : 1;
        }, ct));
        return command;
    }
}
