using SleepScoring.Training.Training;

using TorchSharp;
using TorchSharp.Modules;

using static TorchSharp.torch;

namespace SleepScoring.Training.Adaptation;

/// <summary>
/// SAR's update of a parameter set: the mean entropy of the reliable samples' predictions
/// (entropy below E0) is minimised with a sharpness-aware step — gradient at θ + ρ·g/‖g‖, applied
/// at θ — by Adam; when the moving average of that entropy collapses below the reset level, the
/// parameters return to their source values.
/// </summary>
internal sealed class EntropyMinimisation
{
    private readonly Parameter[] parameters;
    private readonly Tensor[] source;
    private readonly AdaptationOptions options;
    private readonly AdamWOptimizer optimizer;
    private double? movingEntropy;
    private long seen;
    private long reliable;

    public EntropyMinimisation(Parameter[] parameters, AdaptationOptions options)
    {
        this.parameters = parameters;
        this.options = options;
        using (no_grad())
        {
            source = [.. parameters.Select(p => p.detach().clone().DetachFromDisposeScope())];
        }

        optimizer = new AdamWOptimizer(parameters, options.LearningRate, weightDecay: 0);
    }

    public int Updates { get; private set; }

    public int Resets { get; private set; }

    /// <summary>Share of the samples seen that passed the reliability filter.</summary>
    public double ReliableShare => seen == 0 ? 0 : (double)reliable / seen;

    /// <summary>Per-sample prediction entropy of logits [N, C] (nats).</summary>
    public static Tensor Entropy(Tensor logits)
    {
        Tensor log = logits.log_softmax(1);
        return log.exp().mul(log).sum(1).neg();
    }

    /// <summary>One update from the logits [N, C] that <paramref name="forward"/> computes (called twice for the sharpness-aware step).</summary>
    public void Update(Func<Tensor> forward)
    {
        using var scope = NewDisposeScope();
        double limit = options.ReliableEntropyShare * Math.Log(5);
        Tensor? mask = null;
        Tensor Loss()
        {
            Tensor entropy = Entropy(forward());
            mask ??= entropy.detach().lt(limit);
            Tensor kept = entropy.masked_select(mask);
            return kept.numel() == 0 ? entropy.sum().mul(0.0) : kept.mean();
        }

        Tensor loss = Loss();
        seen += mask!.numel();
        long kept = mask.sum().item<long>();
        reliable += kept;
        if (kept == 0)
        {
            return;
        }

        ZeroGradients();
        loss.backward();
        Tensor[] perturbation = [];
        if (options.SharpnessRadius > 0)
        {
            using (no_grad())
            {
                double norm = Math.Sqrt(parameters.Where(p => p.grad is not null).Sum(p => p.grad!.pow(2).sum().item<float>()));
                perturbation = [.. parameters.Select(p => p.grad is null ? zeros_like(p) : p.grad.mul(options.SharpnessRadius / (norm + 1e-12)))];
                for (int i = 0; i < parameters.Length; i++)
                {
                    parameters[i].add_(perturbation[i]);
                }
            }

            ZeroGradients();
            Loss().backward();
            using (no_grad())
            {
                for (int i = 0; i < parameters.Length; i++)
                {
                    parameters[i].sub_(perturbation[i]);
                }
            }
        }

        optimizer.Step();
        Updates++;
        double value = loss.item<float>();
        movingEntropy = movingEntropy is double m ? (0.9 * m) + (0.1 * value) : value;
        if (movingEntropy < options.ResetEntropy)
        {
            Reset();
        }
    }

    private void Reset()
    {
        using (no_grad())
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i].copy_(source[i]);
            }
        }

        movingEntropy = null;
        Resets++;
    }

    private void ZeroGradients()
    {
        foreach (Parameter p in parameters)
        {
            p.grad?.zero_();
        }
    }
}
