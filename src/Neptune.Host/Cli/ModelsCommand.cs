using System.CommandLine;
using Neptune.Llm.Models;

namespace Neptune.Host.Cli;

/// <summary>`neptune models`: list the registered embedding models, show one, or activate one (re-embeds in the background).</summary>
public static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "List embedding models and which one is active (pinned)");
        command.SetAction((parse, ct) => NeptuneCli.WithStoreAsync(parse, async context =>
        {
            var models = await context.Get<ModelRegistry>().ListAsync(ct);
            if (context.JsonOutput)
            {
                CliContext.WriteJson(new { models });
                return 0;
            }

            Console.WriteLine($"{"",2}{"ID",-4}{"MODEL",-36}{"DIGEST",-14}{"DIMS",6}  STATE");
            foreach (var m in models)
            {
                var digest = m.Digest is { Length: > 12 } d ? d[..12] : m.Digest ?? "-";
                Console.WriteLine($"{(m.Active ? "* " : "  ")}{m.Id?.ToString() ?? "-",-4}{m.Reference,-36}{digest,-14}{m.Dimensions?.ToString() ?? "-",6}  {m.Status}{(m.Detail is null ? "" : $": {m.Detail}")}");
            }

            return 0;
        }, ct));

        var reference = new Argument<string>("model") { Description = "provider/name (e.g. onnx/all-MiniLM-L6-v2, ollama/nomic-embed-text) or a registry id" };
        var show = new Command("show", "Show one model: digest, dimensions, state") { reference };
        show.SetAction((parse, ct) => NeptuneCli.WithStoreAsync(parse, async context =>
        {
            var wanted = parse.GetValue(reference)!;
            var models = await context.Get<ModelRegistry>().ListAsync(ct);
            var model = models.FirstOrDefault(m => m.Id?.ToString() == wanted || m.Reference == wanted || m.Name == wanted)
                ?? throw Neptune.Core.NeptuneException.Invalid("model", $"No model '{wanted}': `neptune models` lists them.");
            if (context.JsonOutput)
            {
                CliContext.WriteJson(model);
                return 0;
            }

            Console.WriteLine($"Model:      {model.Reference}{(model.Active ? " (active)" : "")}");
            Console.WriteLine($"Id:         {model.Id?.ToString() ?? "not registered"}");
            Console.WriteLine($"Digest:     {model.Digest ?? "-"}");
            Console.WriteLine($"Dimensions: {model.Dimensions?.ToString() ?? "-"}");
            Console.WriteLine($"State:      {model.Status}{(model.Detail is null ? "" : $": {model.Detail}")}");
            return 0;
        }, ct));
        command.Subcommands.Add(show);

        var activate = new Command("activate", "Make a model active; every note is re-embedded with it in the background") { reference };
        activate.SetAction((parse, ct) => NeptuneCli.WithStoreAsync(parse, async context =>
        {
            var result = await context.Get<ModelRegistry>().ActivateAsync(parse.GetValue(reference)!, ct);
            if (context.JsonOutput)
            {
                CliContext.WriteJson(result);
                return 0;
            }

            Console.WriteLine(result.Changed
                ? $"Active model is now {result.Model.Reference} ({result.Model.ShortDigest}, {result.Model.Dimensions} dims); {result.NotesQueued:N0} notes queued for re-embedding. Search uses only its vectors."
                : $"{result.Model.Reference} ({result.Model.ShortDigest}) is already the active model.");
            return 0;
        }, ct));
        command.Subcommands.Add(activate);
        return command;
    }
}
