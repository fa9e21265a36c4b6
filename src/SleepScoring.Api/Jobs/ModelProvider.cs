using Microsoft.Extensions.Options;

using SleepScoring.Api.Hosting;
using SleepScoring.Inference;
using SleepScoring.Inference.Model;
using SleepScoring.Model;

namespace SleepScoring.Api.Jobs;

/// <summary>No usable model in the configured directory; scoring waits, /ready says why.</summary>
public sealed class ModelUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Finds the model directory (configuration, else <c>models/</c> in the content root or a parent
/// of it or of the app folder) and loads models from it. Remembers the last outcome for /ready and
/// <c>GET /api/v1/model</c>; a missing model is reported, never a crash.
/// </summary>
public sealed class ModelProvider(IOptions<ScoringOptions> options, IHostEnvironment environment)
{
    private readonly Lock gate = new();
    private ModelCard? card;
    private string? problem;

    /// <summary>The resolved directory (it may not exist).</summary>
    public string Directory { get; } = Resolve(options.Value.ModelDirectory, environment.ContentRootPath);

    /// <summary>The card of the last model loaded, or null.</summary>
    public ModelCard? Card
    {
        get
        {
            lock (gate)
            {
                return card;
            }
        }
    }

    /// <summary>Why no model could be loaded the last time, or null.</summary>
    public string? Problem
    {
        get
        {
            lock (gate)
            {
                return card is null ? problem ?? "no model has been loaded yet" : null;
            }
        }
    }

    /// <summary>Loads a model (one per worker: sessions are not thread-safe).</summary>
    /// <exception cref="ModelUnavailableException">Missing or invalid model files.</exception>
    public StagingModel Load()
    {
        try
        {
            StagingModel model = StagingModel.Load(Directory);
            lock (gate)
            {
                card = model.Card;
                problem = null;
            }

            return model;
        }
        catch (Exception e) when (e is ModelFileException or IOException or UnauthorizedAccessException or System.Text.Json.JsonException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            string message = $"no usable model in '{Directory}' (Scoring:ModelDirectory): {e.Message}";
            lock (gate)
            {
                card = null;
                problem = message;
            }

            throw new ModelUnavailableException(message, e);
        }
    }

    /// <summary>Checks that a model loads (for /ready when no worker has loaded one yet).</summary>
    public bool TryCheck()
    {
        if (Card is not null)
        {
            return true;
        }

        try
        {
            Load().Dispose();
            return true;
        }
        catch (ModelUnavailableException)
        {
            return false;
        }
    }

    private static string Resolve(string? configured, string contentRoot) =>
        ModelLocator.Find(configured, [contentRoot, AppContext.BaseDirectory], relativeTo: contentRoot);
}
