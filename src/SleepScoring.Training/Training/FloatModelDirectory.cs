using System.Text.Json;

using SleepScoring.Model;
using SleepScoring.Training.Data;
using SleepScoring.Training.Models;

namespace SleepScoring.Training.Training;

/// <summary>
/// A trained float model on disk: the stage-1 classifier (encoder + head) and the inter-epoch
/// transformer in TorchSharp's save format, and <c>training.json</c> (<see cref="TrainingRecord"/>:
/// geometry, image drawing, command, data, history) from which the models are rebuilt.
/// </summary>
public static class FloatModelDirectory
{
    /// <summary>The classifier's weights (encoder + linear head).</summary>
    public const string ClassifierFile = "classifier.bin";

    /// <summary>The inter-epoch transformer's weights.</summary>
    public const string SequenceFile = "sequence.bin";

    /// <summary>How the model was trained and how its images are drawn.</summary>
    public const string RecordFile = "training.json";

    /// <summary>Writes both models and the record to <paramref name="directory"/> (created if needed).</summary>
    public static void Save(string directory, EpochClassifier classifier, InterEpochTransformer sequence, TrainingRecord record)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(sequence);
        Directory.CreateDirectory(directory);
        classifier.save(Path.Combine(directory, ClassifierFile));
        sequence.save(Path.Combine(directory, SequenceFile));
        File.WriteAllText(Path.Combine(directory, RecordFile), JsonSerializer.Serialize(record, ModelCard.Json));
    }

    /// <summary>Rebuilds the models saved in <paramref name="directory"/>; the caller disposes them.</summary>
    /// <exception cref="TrainingDataException">A file is missing or unreadable; the message names it.</exception>
    public static (EpochClassifier Classifier, InterEpochTransformer Sequence, TrainingRecord Record) Load(string directory)
    {
        string recordPath = Path.Combine(directory, RecordFile);
        if (!File.Exists(recordPath))
        {
            throw new TrainingDataException($"'{directory}' holds no trained model ({RecordFile} is missing).");
        }

        TrainingRecord record;
        try
        {
            record = JsonSerializer.Deserialize<TrainingRecord>(File.ReadAllText(recordPath), ModelCard.Json)
                ?? throw new TrainingDataException($"{recordPath} is empty.");
            record.Model.Validate();
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new TrainingDataException($"{recordPath}: {e.Message}", e);
        }

        var classifier = new EpochClassifier(record.Model);
        var sequence = new InterEpochTransformer(record.Model);
        try
        {
            LoadWeights(classifier, Path.Combine(directory, ClassifierFile));
            LoadWeights(sequence, Path.Combine(directory, SequenceFile));
            return (classifier, sequence, record);
        }
        catch
        {
            classifier.Dispose();
            sequence.Dispose();
            throw;
        }
    }

    private static void LoadWeights(TorchSharp.torch.nn.Module module, string path)
    {
        if (!File.Exists(path))
        {
            throw new TrainingDataException($"{path} is missing.");
        }

        try
        {
            module.load(path);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException or NotImplementedException)
        {
            throw new TrainingDataException($"{path}: not weights of this model ({e.Message})", e);
        }
    }
}
