using System.Text.RegularExpressions;

using SleepScoring.Onnx.Integer;

using TorchSharp;

using static TorchSharp.torch;

namespace SleepScoring.Training.Compression;

/// <summary>
/// Weight sharing by k-means: every weight matrix the integer graphs multiply (patch stem, patch
/// projection, Q/K/V, attention output, MLP, stage head) gets a per-layer <see cref="Codebook"/>
/// on its int8 grid, and its float weights become codebook value × the channel's step. The
/// ordinary export then quantizes each weight to exactly its codebook value (the per-channel step
/// is unchanged because every channel keeps its extreme at ±levels), so the integer graphs hold
/// at most k distinct int8 values per layer and stay bit-exact with the simulation.
/// </summary>
public static partial class WeightSharing
{
    /// <summary>
    /// Replaces the shared layers' weights of <paramref name="module"/> in place (an encoder or an
    /// inter-epoch model) with codebooks of at most <paramref name="size"/> values; returns them by parameter name.
    /// </summary>
    public static IReadOnlyDictionary<string, Codebook> Apply(nn.Module module, int size)
    {
        ArgumentNullException.ThrowIfNull(module);
        var books = new Dictionary<string, Codebook>(StringComparer.Ordinal);
        using var noGrad = no_grad();
        foreach ((string name, Tensor weight) in module.state_dict())
        {
            if (Levels(name) is not int levels)
            {
                continue;
            }

            using var scope = NewDisposeScope();
            (Codebook book, Tensor shared) = Share(weight, size, levels);
            weight.copy_(shared);
            books[name] = book;
        }

        return books;
    }

    /// <summary>
    /// The codebook of one weight tensor [out, ...] (each output channel on its own grid: weight /
    /// max|channel| × <paramref name="levels"/>) and the shared weights, codebook value × max|channel| / levels.
    /// </summary>
    public static (Codebook Book, Tensor Shared) Share(Tensor weight, int size, int levels)
    {
        ArgumentNullException.ThrowIfNull(weight);
        long outputs = weight.shape[0];
        using Tensor rows = weight.detach().reshape(outputs, -1).to_type(ScalarType.Float64);
        double[] w = rows.data<double>().ToArray();
        int width = (int)rows.shape[1];
        var steps = new double[outputs];
        var grid = new double[w.Length];
        for (int o = 0; o < outputs; o++)
        {
            double max = 0;
            for (int i = 0; i < width; i++)
            {
                max = Math.Max(max, Math.Abs(w[(o * width) + i]));
            }

            steps[o] = max / levels;
            for (int i = 0; i < width; i++)
            {
                grid[(o * width) + i] = max == 0 ? 0 : w[(o * width) + i] / steps[o];
            }
        }

        Codebook book = Codebook.Fit(grid, size, levels);
        int[] values = book.Decode();
        double[] shared = [.. values.Select((v, j) => v * steps[j / width])];
        return (book, tensor(shared, weight.shape).to_type(weight.dtype));
    }

    /// <summary>Grid levels of a shared layer's weight by its parameter name; null for tensors not shared (biases, norms, embeddings, the stage-1 head).</summary>
    public static int? Levels(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == "stem.conv.weight")
        {
            return IntegerOps.SignedWeightLimit;
        }

        return SharedLayer().IsMatch(name) ? 127 : null;
    }

    [GeneratedRegex(@"^(patch\.weight|head\.weight|layers\.\d+\.(queryKeyValue|projection|expand|contract)\.weight)$")]
    private static partial Regex SharedLayer();
}
