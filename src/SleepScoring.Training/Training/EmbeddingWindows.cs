using SleepScoring.Analysis;
using SleepScoring.Training.Data;
using SleepScoring.Training.Models;

using static TorchSharp.torch;

namespace SleepScoring.Training.Training;

/// <summary>
/// Epoch embeddings of every epoch of a dataset's nights (computed once by a frozen encoder) and
/// centred windows over them. Positions outside the night read a zero embedding and carry the
/// target <see cref="SupervisedTrainer.IgnoreTarget"/>, as do unscored epochs.
/// </summary>
public sealed class EmbeddingWindows : IDisposable
{
    private readonly Tensor table;
    private readonly int[] nightStart;
    private readonly EpochDataset dataset;

    /// <summary>Embeds every epoch of <paramref name="dataset"/> with <paramref name="encoder"/> (eval mode, no gradients).</summary>
    public EmbeddingWindows(EpochEncoder encoder, EpochDataset dataset, int window, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(dataset);
        if (window < 1 || window % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The window must be odd and positive.");
        }

        this.dataset = dataset;
        Window = window;
        encoder.eval();
        var parts = new List<Tensor>();
        nightStart = new int[dataset.Nights.Count];
        int offset = 0;
        using (no_grad())
        {
            for (int n = 0; n < dataset.Nights.Count; n++)
            {
                nightStart[n] = offset;
                int count = dataset.Nights[n].Count;
                for (int start = 0; start < count; start += batchSize)
                {
                    EpochRef[] batch = Enumerable.Range(start, Math.Min(batchSize, count - start)).Select(p => new EpochRef(n, p)).ToArray();
                    using Tensor images = dataset.Images(batch);
                    parts.Add(encoder.forward(images));
                }

                offset += count;
            }

            parts.Add(zeros(1, encoder.Options.Dim));
            table = cat(parts, 0);
        }

        foreach (Tensor part in parts)
        {
            part.Dispose();
        }
    }

    /// <summary>Epochs per window.</summary>
    public int Window { get; }

    /// <summary>The dataset whose epochs were embedded.</summary>
    public EpochDataset Dataset => dataset;

    /// <summary>Windows [N, L, Dim] centred on <paramref name="centres"/> and their targets [N, L].</summary>
    public (Tensor Input, Tensor Target) Gather(ReadOnlySpan<EpochRef> centres)
    {
        int half = Window / 2, padRow = (int)table.shape[0] - 1;
        var rows = new long[centres.Length * Window];
        var targets = new long[rows.Length];
        for (int i = 0; i < centres.Length; i++)
        {
            NightImages night = dataset.Nights[centres[i].Night];
            for (int o = -half; o <= half; o++)
            {
                int p = centres[i].Position + o, k = (i * Window) + o + half;
                bool inside = p >= 0 && p < night.Count;
                rows[k] = inside ? nightStart[centres[i].Night] + p : padRow;
                targets[k] = inside && EpochDataset.IsScored(night.Stages[p]) ? (long)night.Stages[p] : SupervisedTrainer.IgnoreTarget;
            }
        }

        using Tensor index = tensor(rows);
        Tensor input = table.index_select(0, index).view(centres.Length, Window, table.shape[1]);
        return (input, tensor(targets).view(centres.Length, Window));
    }

    /// <summary>Stage of the centre epoch of each window.</summary>
    public SleepStage CentreStage(EpochRef centre) => dataset.Stage(centre);

    /// <inheritdoc />
    public void Dispose() => table.Dispose();
}
