using SleepScoring.Model;
using SleepScoring.Training.Data;
using SleepScoring.Training.Models;

namespace SleepScoring.Training.Training;

/// <summary>One night of a data folder as loaded: which files, which subject, how many epochs of each stage.</summary>
public sealed record NightDescription(string Name, string SubjectId, int NightId, int RecordingEpochs, int Epochs, IReadOnlyDictionary<string, long> ScoredEpochs)
{
    /// <summary>Describes <paramref name="night"/>.</summary>
    public static NightDescription From(LoadedNight night)
    {
        ArgumentNullException.ThrowIfNull(night);
        long[] counts = new EpochDataset([night.Images]).StageCounts();
        return new NightDescription(night.Pair.Name, night.Pair.SubjectId, night.Pair.NightId, night.RecordingEpochs, night.Images.Count,
            Enumerable.Range(0, counts.Length).ToDictionary(c => ((Analysis.SleepStage)c).ToString(), c => counts[c]));
    }
}

/// <summary>The training choices beyond the model, the image and the seed that change the weights.</summary>
public sealed record TrainingSettings
{
    /// <summary>Loss weighting of both stages (<see cref="ClassWeighting"/> name).</summary>
    public required string Weighting { get; init; }

    /// <summary>Early-stopping patience of stage 1 and stage 2.</summary>
    public required int[] Patience { get; init; }

    /// <summary>Largest time shift of the stage-1 augmentation in columns; null: no augmentation.</summary>
    public int? AugmentationShift { get; init; }

    /// <summary>Quantization-aware fine-tuning passes (0: none).</summary>
    public required int QuantizationAwarePasses { get; init; }

    /// <summary>Chance that a stage-1 training image loses one EEG derivation (derivation dropout); null: none.</summary>
    public double? DerivationDropout { get; init; }

    /// <summary>Chance that a stage-2 training window loses one EEG derivation; null: none.</summary>
    public double? SequenceDerivationDropout { get; init; }

    /// <summary>Chance that a stage-1 training image loses its fast-band views (band dropout); null: none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? BandDropout { get; init; }

    /// <summary>Chance that an hour of a training night is low-passed as another site records it (<see cref="Data.BandwidthAugmentation"/>); null: none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? BandwidthAugmentation { get; init; }

    /// <summary>Chance that an hour of a training night is drawn in the narrow-band presentation (<see cref="Data.NarrowBandAugmentation"/>); null: none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? NarrowBandProbability { get; init; }

    /// <summary>Chance that an hour of a training night is drawn through a sensing low-pass (<see cref="Data.NarrowBandAugmentation.FilterProbability"/>); null: none.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? FilterBandProbability { get; init; }

    /// <summary>The settings of <paramref name="options"/>.</summary>
    public static TrainingSettings From(TwoStageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new TrainingSettings
        {
            Weighting = options.Encoder.ClassWeighting.ToString(),
            Patience = [options.Encoder.Patience, options.Sequence.Patience],
            AugmentationShift = options.Augmentation?.MaxShift,
            QuantizationAwarePasses = options.QuantizationAware.Passes,
            DerivationDropout = options.Dropout?.Probability,
            SequenceDerivationDropout = options.SequenceDropout?.Probability,
            BandDropout = options.BandDropout?.Probability,
        };
    }

    /// <summary>Whether both describe the same training.</summary>
    public bool SameAs(TrainingSettings other) =>
        other is not null && Weighting == other.Weighting && Patience.SequenceEqual(other.Patience)
        && AugmentationShift == other.AugmentationShift && QuantizationAwarePasses == other.QuantizationAwarePasses
        && DerivationDropout == other.DerivationDropout && SequenceDerivationDropout == other.SequenceDerivationDropout
        && BandDropout == other.BandDropout && BandwidthAugmentation == other.BandwidthAugmentation && NarrowBandProbability == other.NarrowBandProbability
        && FilterBandProbability == other.FilterBandProbability;
}

/// <summary>What <c>training.json</c> holds: everything needed to rebuild, re-render and reproduce a trained float model.</summary>
public sealed record TrainingRecord
{
    /// <summary>The command line that trained the model.</summary>
    public required string Command { get; init; }

    /// <summary>Geometry and sizes of both models.</summary>
    public required ModelOptions Model { get; init; }

    /// <summary>How the epoch images are drawn.</summary>
    public required ModelImageSpec Image { get; init; }

    /// <summary>Seed of torch and of the shuffling and subject split.</summary>
    public required long Seed { get; init; }

    /// <summary>Loss weighting, patience, augmentation and quantization-aware passes; null in records written before session 3.</summary>
    public TrainingSettings? Settings { get; init; }

    /// <summary>Maximum passes of stage 1 (encoder) and stage 2 (sequence).</summary>
    public required int[] MaxPasses { get; init; }

    /// <summary>The data folder and its nights.</summary>
    public required string DataFolder { get; init; }

    /// <summary>Every night loaded (training and validation).</summary>
    public required IReadOnlyList<NightDescription> Nights { get; init; }

    /// <summary>Subjects the weights were fitted on.</summary>
    public required IReadOnlyList<string> TrainingSubjects { get; init; }

    /// <summary>Subjects held out for early stopping.</summary>
    public required IReadOnlyList<string> ValidationSubjects { get; init; }

    /// <summary>Per-pass loss, accuracy and validation metrics of stage 1.</summary>
    public IReadOnlyList<PassRecord> EncoderPasses { get; init; } = [];

    /// <summary>Per-pass loss, accuracy and validation metrics of stage 2.</summary>
    public IReadOnlyList<PassRecord> SequencePasses { get; init; } = [];

    /// <summary>Quantization-aware fine-tuning passes (encoder, then inter-epoch model).</summary>
    public IReadOnlyList<PassRecord> QuantizationAwarePasses { get; init; } = [];
}
