using SleepScoring.Training.Data;
using SleepScoring.Training.Models;
using SleepScoring.Training.Training;

using TorchSharp;
using TorchSharp.Modules;

using static TorchSharp.torch;

namespace SleepScoring.Training.Adaptation;

/// <summary>What an adaptation did, for the model card.</summary>
/// <param name="Epochs">Site epochs adapted on.</param>
/// <param name="EncoderUpdates">Updates of the encoder's LayerNorms.</param>
/// <param name="SequenceUpdates">Updates of the inter-epoch model's LayerNorms.</param>
/// <param name="Resets">Times SAR's collapse guard restored the source parameters.</param>
/// <param name="ReliableShare">Share of samples that passed the reliability filter.</param>
/// <param name="EntropyBefore">Mean prediction entropy (nats) of the site's epochs before adaptation (stage-1 head).</param>
/// <param name="EntropyAfter">The same after.</param>
public sealed record AdaptationReport(int Epochs, int EncoderUpdates, int SequenceUpdates, int Resets, double ReliableShare, double EntropyBefore, double EntropyAfter);

/// <summary>
/// Test-time adaptation of a trained float pair to a site's unlabelled epochs: the stem
/// BatchNorm's statistics re-estimated on them (AdaBN, no optimisation), then TENT — entropy
/// minimisation over the LayerNorm scales and shifts only — with SAR's safeguards: only reliable
/// samples (low entropy) drive updates, each update is sharpness-aware (gradient at the worst point
/// within ρ), and the parameters are reset to the source model's when the entropy collapses.
/// Stage 1 adapts the encoder through its stage-1 head on single epochs; stage 2 the inter-epoch
/// model on windows of the adapted embeddings. The weights change in place.
/// </summary>
public static class TestTimeAdaptation
{
    /// <summary>Adapts <paramref name="classifier"/> and <paramref name="sequence"/> to <paramref name="site"/> (stages ignored).</summary>
    public static AdaptationReport Run(EpochClassifier classifier, InterEpochTransformer sequence, EpochDataset site, AdaptationOptions options)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(options);
        EpochRef[] epochs = [.. site.Nights.SelectMany((n, i) => Enumerable.Range(0, n.Count).Select(p => new EpochRef(i, p)))];
        if (epochs.Length == 0)
        {
            throw new ArgumentException("The site holds no epoch to adapt on.", nameof(site));
        }

        double before = MeanEntropy(classifier, site, epochs, options.BatchSize);
        if (options.BatchNormStatistics)
        {
            ReestimateBatchNorm(classifier, site, epochs, options);
        }

        var shuffle = new SeededRandom(options.Seed);
        var encoderRun = new EntropyMinimisation(LayerNormParameters(classifier), options);
        for (int pass = 0; pass < options.Passes; pass++)
        {
            shuffle.Shuffle(epochs.AsSpan());
            for (int start = 0; start < epochs.Length; start += options.BatchSize)
            {
                EpochRef[] batch = epochs[start..Math.Min(epochs.Length, start + options.BatchSize)];
                using Tensor images = site.Images(batch);
                encoderRun.Update(() => classifier.forward(images));
            }
        }

        int sequenceUpdates = 0, resets = encoderRun.Resets;
        double reliable = encoderRun.ReliableShare;
        if (options.Sequence && options.Passes > 0)
        {
            classifier.eval();
            using var windows = new EmbeddingWindows(classifier.Encoder, site, sequence.Options.Window);
            var sequenceRun = new EntropyMinimisation(LayerNormParameters(sequence), options);
            for (int pass = 0; pass < options.Passes; pass++)
            {
                shuffle.Shuffle(epochs.AsSpan());
                for (int start = 0; start < epochs.Length; start += options.BatchSize)
                {
                    (Tensor input, Tensor targets) = windows.Gather(epochs[start..Math.Min(epochs.Length, start + options.BatchSize)]);
                    using (input)
                    using (targets)
                    {
                        sequenceRun.Update(() => sequence.forward(input).select(1, sequence.Centre));
                    }
                }
            }

            sequenceUpdates = sequenceRun.Updates;
            resets += sequenceRun.Resets;
        }

        classifier.eval();
        sequence.eval();
        return new AdaptationReport(epochs.Length, encoderRun.Updates, sequenceUpdates, resets, reliable, before, MeanEntropy(classifier, site, epochs, options.BatchSize));
    }

    /// <summary>The scale and shift of every LayerNorm in <paramref name="module"/>: what TENT adapts.</summary>
    public static Parameter[] LayerNormParameters(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        return [.. module.named_modules().Where(m => m.module is LayerNorm).SelectMany(m => m.module.parameters())];
    }

    /// <summary>The stem BatchNorm's running statistics, recomputed as the mean of per-batch statistics over the site's epochs.</summary>
    private static void ReestimateBatchNorm(EpochClassifier classifier, EpochDataset site, EpochRef[] epochs, AdaptationOptions options)
    {
        nn.Module[] norms = [.. classifier.named_modules().Where(m => m.module is StableBatchNorm2d).Select(m => m.module)];
        classifier.eval();
        foreach (nn.Module norm in norms)
        {
            norm.train();
        }

        // BatchNorm's momentum 0.1 moving average, run until it has forgotten the source statistics (≥ 3 passes' worth of batches).
        int batches = (epochs.Length + options.BatchSize - 1) / options.BatchSize;
        using (no_grad())
        {
            for (int b = 0; b < Math.Max(batches, 60); b++)
            {
                int start = (b % batches) * options.BatchSize;
                using Tensor images = site.Images(epochs.AsSpan(start, Math.Min(options.BatchSize, epochs.Length - start)));
                classifier.Encoder.forward(images).Dispose();
            }
        }

        classifier.eval();
    }

    private static double MeanEntropy(EpochClassifier classifier, EpochDataset site, EpochRef[] epochs, int batchSize)
    {
        classifier.eval();
        double sum = 0;
        using var noGrad = no_grad();
        for (int start = 0; start < epochs.Length; start += batchSize)
        {
            using var scope = NewDisposeScope();
            Tensor logits = classifier.forward(site.Images(epochs.AsSpan(start, Math.Min(batchSize, epochs.Length - start))));
            sum += EntropyMinimisation.Entropy(logits).sum().item<float>();
        }

        return sum / epochs.Length;
    }
}
