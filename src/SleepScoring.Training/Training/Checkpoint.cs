using System.Text.Json;

using TorchSharp;

using static TorchSharp.torch;

namespace SleepScoring.Training.Training;

/// <summary>
/// A resumable training state in a folder: model weights and buffers (model.bin), optimiser
/// moments (optimizer.bin), torch's generator state (torch-rng.bin) and the loop state
/// (state.json: next pass, step, shuffling generator, early-stopping record).
/// </summary>
public sealed record Checkpoint
{
    private const string ModelFile = "model.bin";
    private const string OptimizerFile = "optimizer.bin";
    private const string TorchRngFile = "torch-rng.bin";
    private const string StateFile = "state.json";

    /// <summary>The pass to run next.</summary>
    public required int NextPass { get; init; }

    /// <summary>Optimisation steps taken so far (drives the learning-rate schedule).</summary>
    public required int Step { get; init; }

    /// <summary>State of the shuffling generator.</summary>
    public required ulong ShuffleState { get; init; }

    /// <summary>Best validation macro-F1 so far.</summary>
    public required double BestMacroF1 { get; init; }

    /// <summary>κ at the best pass.</summary>
    public required double BestKappa { get; init; }

    /// <summary>Pass of the best validation score.</summary>
    public required int BestPass { get; init; }

    /// <summary>Passes since the best.</summary>
    public required int Stale { get; init; }

    /// <summary>True when a checkpoint exists in <paramref name="directory"/>.</summary>
    public static bool Exists(string directory) => File.Exists(Path.Combine(directory, StateFile));

    /// <summary>Writes the checkpoint, the model and the optimiser to <paramref name="directory"/>.</summary>
    public void Save(string directory, nn.Module model, AdamWOptimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        Directory.CreateDirectory(directory);
        model.save(Path.Combine(directory, ModelFile));
        optimizer.Save(Path.Combine(directory, OptimizerFile));
        using (Tensor rng = torch.get_rng_state())
        {
            File.WriteAllBytes(Path.Combine(directory, TorchRngFile), rng.data<byte>().ToArray());
        }

        // Written last: its presence marks a complete checkpoint.
        File.WriteAllText(Path.Combine(directory, StateFile), JsonSerializer.Serialize(this));
    }

    /// <summary>Saves when <paramref name="directory"/> is set; does nothing otherwise.</summary>
    public void SaveIfWanted(string? directory, nn.Module model, AdamWOptimizer optimizer)
    {
        if (directory is not null)
        {
            Save(directory, model, optimizer);
        }
    }

    /// <summary>Loads the checkpoint in <paramref name="directory"/> into the model and optimiser.</summary>
    public static Checkpoint Load(string directory, nn.Module model, AdamWOptimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        string statePath = Path.Combine(directory, StateFile);
        Checkpoint state;
        try
        {
            state = JsonSerializer.Deserialize<Checkpoint>(File.ReadAllText(statePath))
                ?? throw new InvalidDataException($"{statePath} holds no checkpoint.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{statePath} is not a valid checkpoint: {ex.Message}", ex);
        }

        model.load(Path.Combine(directory, ModelFile));
        optimizer.Load(Path.Combine(directory, OptimizerFile));
        using Tensor rng = torch.tensor(File.ReadAllBytes(Path.Combine(directory, TorchRngFile)));
        torch.set_rng_state(rng);
        return state;
    }
}