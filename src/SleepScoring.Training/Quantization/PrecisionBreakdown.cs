using SleepScoring.Training.Data;
using SleepScoring.Training.Models;
using SleepScoring.Training.Training;

using static TorchSharp.torch;

namespace SleepScoring.Training.Quantization;

/// <summary>
/// Where the integer model's stage departs from the float model's: the same nights through every
/// mix of float/integer encoder, 8-bit embedding hand-over and float/integer sequence model, each
/// reported as the share of counted epochs whose most probable stage equals the float model's.
/// </summary>
public static class PrecisionBreakdown
{
    /// <summary>Agreement with the float model per path, over the counted epochs of <paramref name="nights"/>.</summary>
    public static IReadOnlyList<(string Path, double Agreement)> Run(EpochEncoder encoder, InterEpochTransformer sequence, IntegerStagingModel integer, IEnumerable<NightImages> nights)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(integer);
        ArgumentNullException.ThrowIfNull(nights);
        string[] paths = ["float encoder, 8-bit embedding, float sequence", "integer encoder, float sequence", "float encoder, 8-bit embedding, integer sequence", "integer encoder, integer sequence"];
        long[] same = new long[paths.Length];
        long total = 0;
        encoder.eval();
        sequence.eval();
        foreach (NightImages night in nights)
        {
            float[,] reference = NightScorer.Probabilities(encoder, sequence, night);
            byte[] roundedFloat = Rounded(encoder, night, integer.Encoder.EmbeddingScale);
            byte[] integerEmbeddings = integer.Embeddings(night);
            float[][,] mixes =
            [
                FloatSequence(sequence, roundedFloat, night.Count, integer.Encoder.EmbeddingScale),
                FloatSequence(sequence, integerEmbeddings, night.Count, integer.Encoder.EmbeddingScale),
                integer.Probabilities(roundedFloat, night.Count),
                integer.Probabilities(integerEmbeddings, night.Count),
            ];
            foreach (int p in NightScorer.CountedPositions(night, sleepPeriodOnly: true))
            {
                total++;
                int expected = NightScorer.MostProbable(reference, p);
                for (int m = 0; m < mixes.Length; m++)
                {
                    same[m] += NightScorer.MostProbable(mixes[m], p) == expected ? 1 : 0;
                }
            }
        }

        return [.. paths.Select((path, m) => (path, total == 0 ? 1.0 : (double)same[m] / total))];
    }

    /// <summary>The float encoder's embeddings rounded to the integer encoder's uint8 grid (zero point 128).</summary>
    internal static byte[] Rounded(EpochEncoder encoder, NightImages night, double scale, int batchSize = 256)
    {
        var dataset = new EpochDataset([night]);
        int dim = encoder.Options.Dim;
        var result = new byte[night.Count * dim];
        using var noGrad = no_grad();
        for (int start = 0; start < night.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            EpochRef[] batch = [.. Enumerable.Range(start, Math.Min(batchSize, night.Count - start)).Select(p => new EpochRef(0, p))];
            float[] values = encoder.forward(dataset.Images(batch)).data<float>().ToArray();
            for (int i = 0; i < values.Length; i++)
            {
                result[(start * dim) + i] = (byte)Math.Clamp(Math.Round(values[i] / scale) + 128, 0, 255);
            }
        }

        return result;
    }

    private static float[,] FloatSequence(InterEpochTransformer sequence, byte[] embeddings, int count, double scale)
    {
        var result = new float[count, sequence.Options.Classes];
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor windows = IntegerStagingModel.DequantizedWindows(embeddings, count, sequence.Options, scale);
        float[] probabilities = sequence.forward(windows).select(1, sequence.Centre).softmax(1).data<float>().ToArray();
        for (int i = 0; i < count; i++)
        {
            for (int c = 0; c < sequence.Options.Classes; c++)
            {
                result[i, c] = probabilities[(i * sequence.Options.Classes) + c];
            }
        }

        return result;
    }
}
