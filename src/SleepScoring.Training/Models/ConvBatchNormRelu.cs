using TorchSharp;
using TorchSharp.Modules;

using static TorchSharp.torch;

namespace SleepScoring.Training.Models;

/// <summary>
/// Patch projection → BatchNorm → ReLU: a convolution whose kernel equals its stride, so each
/// output position sees exactly one non-overlapping patch (a per-patch linear layer). Kept in this
/// order with a biased convolution so the integer export can fold BatchNorm into the weights and
/// run the projection as one MatMulInteger over extracted patches (ONNX Runtime's fast 8-bit GEMM;
/// its ConvInteger is several times slower, see docs/integer-runtime.md).
/// </summary>
internal sealed class ConvBatchNormRelu : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly StableBatchNorm2d norm;

    public ConvBatchNormRelu(string name, long inChannels, long outChannels, long patchRows, long patchColumns)
        : base(name)
    {
        conv = nn.Conv2d(inChannels, outChannels, (patchRows, patchColumns), stride: (patchRows, patchColumns), bias: true);
        norm = new StableBatchNorm2d("norm", outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using Tensor convolved = conv.forward(input);
        using Tensor normalised = norm.forward(convolved);
        return nn.functional.relu(normalised);
    }
}
