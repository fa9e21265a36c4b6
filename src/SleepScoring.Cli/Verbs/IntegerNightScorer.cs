using SleepScoring.Inference;
using SleepScoring.Inference.Explanation;
using SleepScoring.Inference.Model;
using SleepScoring.Inference.Scoring;
using SleepScoring.Training.Data;
using SleepScoring.Training.Training;

namespace SleepScoring.Cli.Verbs;

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
    /// Probabilities and, with <paramref name="explain"/>, the saliency grid of every epoch and the
    /// embeddings (for the epochs' neighbour windows).
    /// </summary>
    public (float[,] Probabilities, byte[] Embeddings, float[][,]? Grids) Score(NightImages night, bool explain)
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

        float[][,]? grids = maps is null
            ? null
            : Enumerable.Range(0, count).Select(p => AttentionRollout.EpochGrid(maps, p, model.Card.Input.Derivations.Count, model.Card.Input.Segments)).ToArray();
        return (probabilities, embeddings, grids);
    }

    /// <summary>
    /// Up to <paramref name="perNight"/> deletion-test cases of <paramref name="night"/>: counted
    /// epochs spread evenly over the night, each with its image, window, predicted stage and grid.
    /// </summary>
    public IReadOnlyList<DeletionCase> DeletionCases(NightImages night, int perNight)
    {
        ArgumentNullException.ThrowIfNull(night);
        (float[,] probabilities, byte[] embeddings, float[][,]? grids) = Score(night, explain: true);
        int[] counted = [.. NightScorer.CountedPositions(night, sleepPeriodOnly: true)];
        if (counted.Length == 0 || perNight <= 0)
        {
            return [];
        }

        double step = Math.Max(1, counted.Length / (double)perNight);
        var cases = new List<DeletionCase>();
        for (double k = 0; k < counted.Length && cases.Count < perNight; k += step)
        {
            int p = counted[(int)k];
            byte[] window = new byte[model.Sequence.Window * model.Encoder.EmbeddingSize];
            model.Sequence.FillWindow(embeddings, night.Count, p, window);
            cases.Add(new DeletionCase(night.Image(p).ToArray(), window, NightScorer.MostProbable(probabilities, p), grids![p]));
        }

        return cases;
    }
}
