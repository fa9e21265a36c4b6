using TorchSharp;
using TorchSharp.Modules;

using static TorchSharp.torch;

namespace SleepScoring.Training.Training;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter: Adam moments, decoupled weight decay) over a fixed parameter
/// list, with state that saves and loads exactly. Our own rather than TorchSharp's because that
/// one converts constants to <see cref="Scalar"/>s that the garbage collector can finalize while
/// the native call still reads them (seen as random "Unknown scalar type" crashes mid-training);
/// here every scalar is held until the step ends.
/// </summary>
public sealed class AdamWOptimizer : IDisposable
{
    private readonly Parameter[] parameters;
    private readonly Tensor[] firstMoments;
    private readonly Tensor[] secondMoments;
    private readonly double beta1;
    private readonly double beta2;
    private readonly double epsilon;
    private readonly double weightDecay;

    /// <summary>An optimiser for <paramref name="parameters"/>.</summary>
    public AdamWOptimizer(IEnumerable<Parameter> parameters, double learningRate, double weightDecay, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        this.parameters = [.. parameters];
        LearningRate = learningRate;
        this.weightDecay = weightDecay;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        using (no_grad())
        {
            firstMoments = this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
            secondMoments = this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        }
    }

    /// <summary>Learning rate of the next step.</summary>
    public double LearningRate { get; set; }

    /// <summary>Steps taken.</summary>
    public long Steps { get; private set; }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        Steps++;
        double correction1 = 1 - Math.Pow(beta1, Steps), correction2 = 1 - Math.Pow(beta2, Steps);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using Scalar decay = (1 - (LearningRate * weightDecay)).ToScalar();
        using Scalar b1 = beta1.ToScalar(), keep1 = (1 - beta1).ToScalar();
        using Scalar b2 = beta2.ToScalar(), keep2 = (1 - beta2).ToScalar();
        using Scalar rootCorrection2 = Math.Sqrt(correction2).ToScalar(), eps = epsilon.ToScalar();
        using Scalar stepSize = (-LearningRate / correction1).ToScalar();
        for (int i = 0; i < parameters.Length; i++)
        {
            Tensor? grad = parameters[i].grad;
            if (grad is null)
            {
                continue;
            }

            parameters[i].mul_(decay);
            firstMoments[i].mul_(b1).add_(grad, keep1);
            secondMoments[i].mul_(b2).addcmul_(grad, grad, keep2);
            Tensor denominator = secondMoments[i].sqrt().div_(rootCorrection2).add_(eps, TorchScalars.One);
            parameters[i].addcdiv_(firstMoments[i], denominator, stepSize);
        }
    }

    /// <summary>Writes the step count and both moments of every parameter.</summary>
    public void Save(string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(parameters.Length);
        writer.Write(Steps);
        for (int i = 0; i < parameters.Length; i++)
        {
            firstMoments[i].Save(writer);
            secondMoments[i].Save(writer);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote for the same parameter list.</summary>
    public void Load(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        int count = reader.ReadInt32();
        if (count != parameters.Length)
        {
            throw new InvalidDataException($"{path} holds optimiser state for {count} parameters; this model has {parameters.Length}.");
        }

        Steps = reader.ReadInt64();
        for (int i = 0; i < parameters.Length; i++)
        {
            firstMoments[i].Load(reader);
            secondMoments[i].Load(reader);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Tensor moment in firstMoments.Concat(secondMoments))
        {
            moment.Dispose();
        }
    }
}