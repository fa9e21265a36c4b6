using System.Text.RegularExpressions;

using SleepScoring.Training.Data;
using SleepScoring.Training.Models;

using TorchSharp;

using static TorchSharp.torch;

namespace SleepScoring.Training.Compression;

/// <summary>
/// The units one transformer stack keeps: per layer, the attention heads and the MLP hidden
/// channels (ascending indices of the original layer).
/// </summary>
public sealed record StackSelection(IReadOnlyList<int[]> Heads, IReadOnlyList<int[]> MlpChannels);

/// <summary>Which units structured pruning keeps in both models: stem units of the encoder, and heads and MLP channels of each stack.</summary>
public sealed record PruningPlan(int[] StemUnits, StackSelection Encoder, StackSelection Sequence, double Fraction);

/// <summary>
/// Structured pruning of the pair: removes the least important fraction of the encoder's
/// patch-stem units and, in every layer of both transformers, of the attention heads and MLP
/// hidden channels, giving an ordinary smaller model (smaller <see cref="ModelOptions"/>, same
/// export). Importance: an MLP channel by ‖row of fc1‖₁ · ‖column of fc2‖₁ (what it reads times
/// what it writes); a head by the L1 norm of its value→output map W_o,h·W_v,h; a stem unit by its
/// mean ReLU output on training images times ‖its column of the patch projection‖₁ (BatchNorm
/// makes its own weights' norm meaningless). Every layer keeps the same count, so one geometry
/// describes the model; heads keep their width (<see cref="ModelOptions.HeadWidth"/>).
/// </summary>
public static class StructuredPruning
{
    /// <summary>
    /// Indices of the <paramref name="keep"/> most important units, ascending (the kept units stay
    /// in their original order); ties keep the lower index.
    /// </summary>
    public static int[] Keep(IReadOnlyList<double> importance, int keep)
    {
        ArgumentNullException.ThrowIfNull(importance);
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(keep, importance.Count);
        return [.. Enumerable.Range(0, importance.Count).OrderByDescending(i => importance[i]).ThenBy(i => i).Take(keep).Order()];
    }

    /// <summary>Units left of <paramref name="count"/> after pruning <paramref name="fraction"/> (at least one).</summary>
    public static int Remaining(int count, double fraction)
    {
        if (fraction is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The pruned fraction must be in [0, 1).");
        }

        return Math.Max(1, count - (int)Math.Round(count * fraction));
    }

    /// <summary>Importance of each hidden channel of a layer: ‖fc1 row‖₁ · ‖fc2 column‖₁.</summary>
    public static double[] MlpImportance(Tensor expandWeight, Tensor contractWeight)
    {
        ArgumentNullException.ThrowIfNull(expandWeight);
        ArgumentNullException.ThrowIfNull(contractWeight);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor reads = expandWeight.abs().sum(dim: 1);
        Tensor writes = contractWeight.abs().sum(dim: 0);
        return reads.mul(writes).to_type(ScalarType.Float64).data<double>().ToArray();
    }

    /// <summary>Importance of each head: L1 norm of its value→output map (projection columns of the head × value rows of the head).</summary>
    public static double[] HeadImportance(Tensor queryKeyValueWeight, Tensor projectionWeight, int heads)
    {
        ArgumentNullException.ThrowIfNull(queryKeyValueWeight);
        ArgumentNullException.ThrowIfNull(projectionWeight);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long width = queryKeyValueWeight.shape[0] / 3, size = width / heads;
        return [.. Enumerable.Range(0, heads).Select(h =>
        {
            Tensor value = queryKeyValueWeight.narrow(0, (2 * width) + (h * size), size);
            Tensor output = projectionWeight.narrow(1, h * size, size);
            return output.matmul(value).abs().sum().to_type(ScalarType.Float64).item<double>();
        })];
    }

    /// <summary>Importance of each stem unit: mean ReLU output on <paramref name="images"/> × ‖its patch-projection column‖₁.</summary>
    public static double[] StemImportance(EpochEncoder encoder, Tensor images)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(images);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        bool training = encoder.training;
        encoder.eval();
        Tensor mean = encoder.StemFeatures(images).mean([0L, 2L, 3L]);
        encoder.train(training);
        Tensor reads = Parameters(encoder)["patch.weight"].flatten(1).abs().sum(dim: 0);
        return mean.mul(reads).to_type(ScalarType.Float64).data<double>().ToArray();
    }

    /// <summary>
    /// The plan for pruning <paramref name="fraction"/> of every kind of unit; stem importance is
    /// measured on <paramref name="images"/> (uint8 [N, H, W], training epochs).
    /// </summary>
    public static PruningPlan Plan(EpochEncoder encoder, InterEpochTransformer sequence, Tensor images, double fraction)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(sequence);
        ModelOptions o = encoder.Options;
        int[] stem = Keep(StemImportance(encoder, images), Remaining(o.StemChannels, fraction));
        return new PruningPlan(stem, Stack(Parameters(encoder), o.EncoderLayers, o, fraction), Stack(Parameters(sequence), o.SequenceLayers, o, fraction), fraction);
    }

    /// <summary>The geometry of the pruned models.</summary>
    public static ModelOptions PrunedOptions(ModelOptions options, PruningPlan plan)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(plan);
        return options with
        {
            StemChannels = plan.StemUnits.Length,
            Heads = plan.Encoder.Heads[0].Length,
            HeadWidth = options.HeadSize,
            MlpDim = plan.Encoder.MlpChannels[0].Length,
        };
    }

    /// <summary>New, smaller models holding the kept units' weights; the caller disposes them.</summary>
    public static (EpochClassifier Classifier, InterEpochTransformer Sequence) Apply(EpochClassifier classifier, InterEpochTransformer sequence, PruningPlan plan)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(plan);
        ModelOptions options = PrunedOptions(classifier.Encoder.Options, plan);
        var prunedClassifier = new EpochClassifier(options);
        var prunedSequence = new InterEpochTransformer(options);
        Copy(classifier, prunedClassifier, plan.StemUnits, plan.Encoder, options.HeadSize);
        Copy(sequence, prunedSequence, null, plan.Sequence, options.HeadSize);
        prunedClassifier.train(classifier.training);
        prunedSequence.train(sequence.training);
        return (prunedClassifier, prunedSequence);
    }

    private static StackSelection Stack(IReadOnlyDictionary<string, Tensor> p, int layers, ModelOptions o, double fraction)
    {
        var heads = new List<int[]>();
        var mlp = new List<int[]>();
        for (int i = 0; i < layers; i++)
        {
            string prefix = $"layers.{i}.";
            heads.Add(Keep(HeadImportance(p[$"{prefix}queryKeyValue.weight"], p[$"{prefix}projection.weight"], o.Heads), Remaining(o.Heads, fraction)));
            mlp.Add(Keep(MlpImportance(p[$"{prefix}expand.weight"], p[$"{prefix}contract.weight"]), Remaining(o.MlpDim, fraction)));
        }

        return new StackSelection(heads, mlp);
    }

    private static Dictionary<string, Tensor> Parameters(nn.Module module) =>
        module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    /// <summary>Copies every tensor of <paramref name="source"/> into <paramref name="target"/>, keeping the selected rows/columns where the shapes differ.</summary>
    private static void Copy(nn.Module source, nn.Module target, int[]? stem, StackSelection stack, int headSize)
    {
        Dictionary<string, Tensor> from = Parameters(source);
        using var noGrad = no_grad();
        foreach ((string name, Tensor to) in target.state_dict())
        {
            using var scope = NewDisposeScope();
            Tensor value = from[name];
            if (!value.shape.SequenceEqual(to.shape))
            {
                (int dimension, int[] kept) = Selection(name, value.shape, stem, stack, headSize);
                value = value.index_select(dimension, tensor(kept.Select(k => (long)k).ToArray()));
            }

            to.copy_(value);
        }
    }

    private static (int Dimension, int[] Kept) Selection(string name, long[] shape, int[]? stem, StackSelection stack, int headSize)
    {
        if (stem is not null && Regex.IsMatch(name, @"(^|\.)stem\.(conv|norm)\.\w+$"))
        {
            return (0, stem);
        }

        if (stem is not null && Regex.IsMatch(name, @"(^|\.)patch\.weight$"))
        {
            return (1, stem);
        }

        Match layer = Regex.Match(name, @"(^|\.)layers\.(\d+)\.(\w+)\.(weight|bias)$");
        if (layer.Success)
        {
            int i = int.Parse(layer.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            int[] columns = [.. stack.Heads[i].SelectMany(h => Enumerable.Range(h * headSize, headSize))];
            switch (layer.Groups[3].Value)
            {
                case "queryKeyValue":
                    {
                        // Q, K and V are thirds of the fused projection: keep the heads' rows in each.
                        int full = (int)shape[0] / 3;
                        return (0, [.. Enumerable.Range(0, 3).SelectMany(part => columns.Select(c => (part * full) + c))]);
                    }

                case "projection":
                    return (1, columns);
                case "expand":
                    return (0, stack.MlpChannels[i]);
                case "contract":
                    return (1, stack.MlpChannels[i]);
            }
        }

        throw new InvalidOperationException($"Structured pruning does not know how to shrink '{name}'.");
    }
}
