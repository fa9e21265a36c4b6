using SleepScoring.Inference;
using SleepScoring.Inference.Explanation;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Scoring;
using SleepScoring.Training.Data;
using SleepScoring.Training.Training;

namespace SleepScoring.Lab.Evaluation;

/// <summary>
/// Scores training-loader nights with the shipped integer graphs on ONNX Runtime — the service's
/// own sessions, windowing and presentation of probabilities — so evaluation measures what the
/// service will return, and collects epochs for the deletion test of the saliency.
/// </summary>
internal sealed class IntegerNightScorer(StagingModel model)
{
    /// <summary>Stage probabilities [Count, 5] of every epoch of <paramref name="night"/>.</summary>
    public float[,] Probabilities(NightImages night) => Score(night, explain: false).Probabilities;

    /// <summary>
    /// Probabilities and, with <paramref name="explain"/>, the encoder's attention maps of every
    /// epoch and the embeddings (for the epochs' neighbour windows).
    /// </summary>
    public (float[,] Probabilities, byte[] Embeddings, AttentionMaps? Maps) Score(NightImages night, bool explain)
    {
        ArgumentNullException.ThrowIfNull(night);
        EpochEncoderSession encoder = model.Encoder;
        int count = night.Count, classes = model.Sequence.Classes;
        byte[] images = new byte[count * encoder.ImageBytes];
        for (int p = 0; p < count; p++)
        {
            night.Image(p).CopyTo(images.AsSpan(p * encoder.ImageBytes, encoder.ImageBytes));
        }

        byte[] embeddings = new byte[count * encoder.EmbeddingSize];
        AttentionMaps? maps = encoder.Encode(images, count, embeddings, explain);
        int[] raw = new int[count * classes];
        model.Sequence.StageNight(embeddings, count, raw, withAttention: false);
        var probabilities = new float[count, classes];
        for (int p = 0; p < count; p++)
        {
            float[] row = StageProbabilities.Normalise(raw.AsSpan(p * classes, classes));
            for (int c = 0; c < classes; c++)
            {
                probabilities[p, c] = row[c];
            }
        }

        return (probabilities, embeddings, maps);
    }

    /// <summary>
    /// Up to <paramref name="perNight"/> deletion-test cases of <paramref name="night"/> per saliency
    /// variant, from its <paramref name="scored"/> result (<see cref="Score"/> with explain): counted
    /// epochs spread evenly over the night, each with its image, window, predicted stage and the grid
    /// of that variant (rollout residual share α, layers rolled out, weighted by the cells' content or not).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<DeletionCase>> DeletionCases(NightImages night, (float[,] Probabilities, byte[] Embeddings, AttentionMaps? Maps) scored, int perNight, IReadOnlyList<(double ResidualShare, int LastLayers, bool Content)> variants)
    {
        ArgumentNullException.ThrowIfNull(night);
        ArgumentNullException.ThrowIfNull(variants);
        (float[,] probabilities, byte[] embeddings, AttentionMaps? maps) = scored;
        if (maps is null)
        {
            throw new ArgumentException("The deletion test needs the night scored with its attention maps (explain: true).", nameof(scored));
        }

        int[] counted = [.. NightScorer.CountedPositions(night, sleepPeriodOnly: true)];
        var cases = variants.Select(_ => new List<DeletionCase>()).ToArray();
        if (counted.Length == 0 || perNight <= 0)
        {
            return cases;
        }

        int derivations = model.Card.Input.Derivations.Count, segments = model.Card.Input.Segments;
        var content = new CellContent(model);
        double step = Math.Max(1, counted.Length / (double)perNight);
        for (double k = 0; k < counted.Length && cases[0].Count < perNight; k += step)
        {
            int p = counted[(int)k];
            byte[] window = new byte[model.Sequence.Window * model.Encoder.EmbeddingSize];
            model.Sequence.FillWindow(embeddings, night.Count, p, window);
            byte[] image = night.Image(p).ToArray();
            for (int v = 0; v < variants.Count; v++)
            {
                float[,] grid = AttentionRollout.EpochGrid(maps, p, derivations, segments, variants[v].ResidualShare, variants[v].LastLayers);
                if (variants[v].Content)
                {
                    content.Weight(grid, image);
                }

                cases[v].Add(new DeletionCase(image, window, NightScorer.MostProbable(probabilities, p), grid));
            }
        }

        return cases;
    }
}
