using System.Text.Json;

using Google.Protobuf;

using SleepScoring.Model;
using SleepScoring.Onnx.Integer;
using SleepScoring.Training.Data;
using SleepScoring.Training.Models;
using SleepScoring.Training.Quantization;
using SleepScoring.Training.Training;

using TorchSharp;

namespace SleepScoring.Training.Export;

/// <summary>
/// A trained pair written as a complete model folder: the float weights and training record (to
/// reproduce and compare), the integer-only graphs the service runs, the float graphs of the same
/// weights, and <c>model-card.json</c>. Quantization is calibrated on the training images; the
/// softmax temperature and the review threshold are fitted on the validation subject. The folder
/// itself (files, digests, card) is written by <see cref="ModelPackage"/>, which inference reads.
/// </summary>
public static class ModelFolderExport
{

    /// <summary>Target accuracy of the epochs the review threshold lets through unflagged.</summary>
    public const double ReviewTargetAccuracy = 0.8;

    /// <summary>What the card says of pruning and weight sharing when the model had neither.</summary>
    public static readonly CompressionApplied Uncompressed = new("none", "none");

    /// <summary>
    /// Writes the folder and returns the integer model (for evaluation by the caller).
    /// <paramref name="compression"/> describes pruning and weight sharing applied to the float
    /// weights before this export (none when null); the card records it with the quantization.
    /// </summary>
    public static IntegerStagingModel Write(string directory, TwoStageResult result, TrainingRecord record, EpochDataset training, EpochDataset validation, string version, FunctionTables tables = FunctionTables.IVitShifts, CompressionApplied? compression = null)
    {
        compression ??= Uncompressed;
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(record);
        FloatModelDirectory.Save(directory, result.Classifier, result.Sequence, record);
        EpochEncoder encoder = result.Classifier.Encoder;
        IntegerStagingModel integer = IntegerStagingModel.Quantize(encoder, result.Sequence, training, validation, tables: tables);
        var files = new Dictionary<string, byte[]>
        {
            [ModelPackage.EncoderInteger] = integer.Encoder.Export(version).ToByteArray(),
            [ModelPackage.SequenceInteger] = integer.Sequence.Export(version).ToByteArray(),
            [ModelPackage.EncoderFloat] = FloatGraphExport.Encoder(encoder, version).ToByteArray(),
            [ModelPackage.SequenceFloat] = FloatGraphExport.Sequence(result.Sequence, version).ToByteArray(),
        };

        (CalibrationCurve curve, double accuracy) = Calibration(integer, validation);
        long encoderParameters = Count(encoder), sequenceParameters = Count(result.Sequence);
        var details = new Dictionary<string, object?>
        {
            ["training"] = new
            {
                record.Command,
                Data = "surrogate PSG nights generated from the real per-epoch spectra of Sleep-EDF (see README)",
                record.TrainingSubjects,
                record.ValidationSubjects,
                Nights = record.Nights.Count,
                // Read by sensing: a model trained with derivation dropout reads a lone derivation in its own slot.
                DerivationDropout = new { Encoder = record.Settings?.DerivationDropout ?? 0, Sequence = record.Settings?.SequenceDerivationDropout ?? 0 },
                BandDropout = record.Settings?.BandDropout ?? 0,
                BandwidthAugmentation = record.Settings?.BandwidthAugmentation ?? 0,
                NarrowBandProbability = record.Settings?.NarrowBandProbability ?? 0,
                FilterBandProbability = record.Settings?.FilterBandProbability ?? 0,
            },
            ["function_tables"] = tables == FunctionTables.Exact ? "exact exponential and GELU, rounded to the integer grid" : "I-ViT shift approximations (Shiftmax exponential, ShiftGELU)",
            ["parameters"] = new { Encoder = encoderParameters, Sequence = sequenceParameters, Total = encoderParameters + sequenceParameters },
            ["file_bytes"] = files.ToDictionary(f => f.Key, f => f.Value.LongLength),
            ["compression"] = new
            {
                Quantization = "integer-only (I-ViT): int8 weights per output channel (7-bit in the patch stem), uint8 activations, int32 accumulators, 16-bit residual stream",
                compression.Pruning,
                compression.WeightSharing,
            },
            ["integer_operators"] = new Dictionary<string, IReadOnlyDictionary<string, int>>
            {
                ["encoder"] = Histogram(files[ModelPackage.EncoderInteger]),
                ["inter-epoch"] = Histogram(files[ModelPackage.SequenceInteger]),
            },
            ["calibration"] = new
            {
                Subjects = record.ValidationSubjects,
                integer.Sequence.Temperature,
                ExpectedCalibrationError = curve.ExpectedCalibrationError,
                Accuracy = accuracy,
                ReviewTargetAccuracy,
                Epochs = curve.Total,
            },
        };
        var identity = new ModelCard
        {
            Name = "sleepscoring-integer-vit",
            Version = version,
            Input = record.Image,
            Files = new ModelFiles { Encoder = ModelPackage.EncoderInteger, Sequence = ModelPackage.SequenceInteger, Sha256 = new Dictionary<string, string>() },
            ReviewThreshold = curve.ThresholdFor(ReviewTargetAccuracy),
            Details = details.ToDictionary(d => d.Key, d => JsonSerializer.SerializeToElement(d.Value, ModelCard.Json)),
        };
        ModelPackage.Write(directory, identity, files);
        return integer;
    }

    /// <summary>Nodes per operator type of a graph, most frequent first.</summary>
    private static IReadOnlyDictionary<string, int> Histogram(byte[] graph) =>
        Onnx.IntegerOnlyCheck.OperatorHistogram(Onnx.Proto.ModelProto.Parser.ParseFrom(graph))
            .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value);

    /// <summary>Reliability of the integer model's confidence on the counted epochs of <paramref name="data"/>.</summary>
    public static (CalibrationCurve Curve, double Accuracy) Calibration(IntegerStagingModel model, EpochDataset data)
    {
        var confidence = new List<double>();
        var correct = new List<bool>();
        foreach (NightImages night in data.Nights)
        {
            float[,] probabilities = model.Probabilities(night);
            foreach (int p in NightScorer.CountedPositions(night, sleepPeriodOnly: true))
            {
                int best = NightScorer.MostProbable(probabilities, p);
                confidence.Add(probabilities[p, best]);
                correct.Add(best == (int)night.Stages[p]);
            }
        }

        return (CalibrationCurve.Measure(confidence, correct), correct.Count(c => c) / (double)Math.Max(1, correct.Count));
    }

    private static long Count(torch.nn.Module module) => module.parameters().Sum(p => p.numel());
}

/// <summary>Pruning and weight sharing applied to a model's float weights, as its card states them ("none" when not applied).</summary>
public sealed record CompressionApplied(string Pruning, string WeightSharing);
