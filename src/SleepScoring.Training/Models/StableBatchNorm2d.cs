using TorchSharp;
using TorchSharp.Modules;

using static TorchSharp.torch;

namespace SleepScoring.Training.Models;

/// <summary>
/// BatchNorm over channels of [N, C, H, W], as <c>nn.BatchNorm2d</c> (momentum 0.1, ε 1e-5), with
/// the same parameter and buffer names (<c>weight</c>, <c>bias</c>, <c>running_mean</c>,
/// <c>running_var</c>). Why not TorchSharp's own: its training forward increments
/// <c>num_batches_tracked</c> with a temporary Scalar that the collector can finalize during the
/// native call (see <c>Training.TorchScalars</c>); it crashed a cross-validation run in its third
/// fold. <c>functional.batch_norm</c> passes momentum and ε as plain doubles.
/// </summary>
internal sealed class StableBatchNorm2d : nn.Module<Tensor, Tensor>
{
    private const double Momentum = 0.1;
    private const double Epsilon = 1e-5;

    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Tensor runningMean;
    private readonly Tensor runningVariance;

    public StableBatchNorm2d(string name, long channels)
        : base(name)
    {
        weight = new Parameter(ones(channels));
        bias = new Parameter(zeros(channels));
        runningMean = zeros(channels);
        runningVariance = ones(channels);
        register_parameter("weight", weight);
        register_parameter("bias", bias);
        register_buffer("running_mean", runningMean);
        register_buffer("running_var", runningVariance);
    }

    public override Tensor forward(Tensor input) =>
        nn.functional.batch_norm(input, runningMean, runningVariance, weight, bias, training, Momentum, Epsilon);
}
