using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Neptune.OllamaEmulator;

/// <summary>
/// An in-process stand-in for Ollama's documented HTTP API on 127.0.0.1 and a free port: /api/embed, /api/chat
/// (plain and NDJSON stream), /api/tags, /api/show and /api/version, with Ollama's error bodies and status codes.
/// Tests script chat answers, inject faults per endpoint, and read back every request it received.
/// </summary>
public sealed partial class OllamaEmulator : IAsyncDisposable
{
    public const string Version = "0.12.6";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, EmulatedModel> _models = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, EndpointFaults> _faults = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _replies = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly Lock _lock = new();
    private int _inFlight;
    private int _maxInFlight;
    private bool _stopped;

    private OllamaEmulator(WebApplication app)
    {
        _app = app;
        AddModel(EmulatedModel.NomicEmbedText);
        AddModel(EmulatedModel.Llama32);
    }

    /// <summary>http://127.0.0.1:&lt;port&gt;/</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Answers chat requests when no scripted reply is queued; by default a minimal instance of the format's schema.</summary>
    public Func<EmulatedChat, string> Responder { get; set; } = SchemaAnswer.For;

    /// <summary>Most requests that were being handled at the same time.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public IReadOnlyList<EmulatedModel> Models => [.. _models.Values.OrderBy(m => m.Name, StringComparer.Ordinal)];

    public static async Task<OllamaEmulator> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var emulator = new OllamaEmulator(app);
        emulator.Map(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        emulator.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return emulator;
    }

    /// <summary>A URL on which nothing listens: a port that was free a moment ago.</summary>
    public static Uri UnusedUrl()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    public void AddModel(EmulatedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _models[EmulatedModel.WithTag(model.Name)] = model;
    }

    public void RemoveModel(string name) => _models.TryRemove(EmulatedModel.WithTag(name), out _);

    /// <summary>Chat answers to give, in order, before the <see cref="Responder"/> is asked again.</summary>
    public void EnqueueReplies(params string[] replies)
    {
        ArgumentNullException.ThrowIfNull(replies);
        foreach (var reply in replies)
        {
            _replies.Enqueue(reply);
        }
    }

    /// <summary>Wait this long before answering requests to <paramref name="path"/> (e.g. "/api/embed").</summary>
    public void Delay(string path, TimeSpan delay) => Faults(path).Delay = delay;

    /// <summary>Answer the next <paramref name="times"/> requests to <paramref name="path"/> with this status and Ollama's error body.</summary>
    public void FailNext(string path, int times, int status = 500, string error = "llama runner process has terminated: signal: killed")
    {
        var faults = Faults(path);
        lock (faults)
        {
            faults.FailuresLeft = times;
            faults.FailureStatus = status;
            faults.FailureError = error;
        }
    }

    /// <summary>Answer the next <paramref name="times"/> requests to <paramref name="path"/> with 200 and a body cut off mid-JSON.</summary>
    public void SendMalformedNext(string path, int times = 1)
    {
        var faults = Faults(path);
        lock (faults)
        {
            faults.MalformedLeft = times;
        }
    }

    /// <summary>Answer the next request to <paramref name="path"/> with exactly this status and JSON body (wrong shapes, odd errors).</summary>
    public void RespondNext(string path, string json, int status = StatusCodes.Status200OK) => Faults(path).Canned.Enqueue((status, json));

    /// <summary>Streamed chats send one line, then this {"error": ...} line, as Ollama does when a model fails mid-stream.</summary>
    public void FailMidStream(string error) => Faults("/api/chat").MidStreamError = error;

    /// <summary>Stops listening: later calls find the port closed (connection refused).</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }

    private EndpointFaults Faults(string path) => _faults.GetOrAdd(path, _ => new EndpointFaults());

    private EmulatedModel? FindModel(string name) => _models.GetValueOrDefault(EmulatedModel.WithTag(name));

    private string NextReply(EmulatedChat chat) => _replies.TryDequeue(out var reply) ? reply : Responder(chat);

    /// <summary>Records the request, counts it in flight and applies the endpoint's injected faults before its handler runs.</summary>
    private async Task Intercept(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? "/";
        JsonNode? body = null;
        string? invalid = null;
        var aborted = false;
        if (HttpMethods.IsPost(context.Request.Method))
        {
            try
            {
                var text = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
                body = text.Length == 0 ? null : JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                invalid = e.Message;
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The client gave up before its body was read (an attempt timeout on a busy machine): it still came.
                aborted = true;
            }
        }

        lock (_lock)
        {
            _requests.Add(new RecordedRequest(context.Request.Method, path, body));
        }

        if (aborted)
        {
            return;
        }

        var inFlight = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, inFlight);
        try
        {
            var faults = _faults.GetValueOrDefault(path);
            if (faults is not null && faults.Delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(faults.Delay, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;  // the client gave up
                }
            }

            if (faults is not null && faults.TakeFailure() is { } failure)
            {
                await WriteError(context, failure.Status, failure.Error);
                return;
            }

            if (faults is not null && faults.Canned.TryDequeue(out var canned))
            {
                context.Response.StatusCode = canned.Status;
                context.Response.ContentType = "application/json; charset=utf-8";
                await context.Response.WriteAsync(canned.Json, context.RequestAborted);
                return;
            }

            if (faults is not null && faults.TakeMalformed())
            {
                context.Response.ContentType = "application/json; charset=utf-8";
                await context.Response.WriteAsync("""{"model":"broken","embeddings":[[0.1,0.2""", context.RequestAborted);
                return;
            }

            if (invalid is not null)
            {
                await WriteError(context, StatusCodes.Status400BadRequest, invalid);
                return;
            }

            context.Items[nameof(RecordedRequest.Body)] = body;
            await next(context);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) != current)
        {
            current = Volatile.Read(ref target);
        }
    }

    private static Task WriteError(HttpContext context, int status, string error) =>
        WriteJson(context, new JsonObject { ["error"] = error }, status);

    private static async Task WriteJson(HttpContext context, JsonNode json, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(json.ToJsonString(), context.RequestAborted);
    }
}
