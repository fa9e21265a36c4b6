using TorchSharp;
using TorchSharp.Modules;

using static TorchSharp.torch;

namespace SleepScoring.Training.Models;

/// <summary>
/// Convolution → BatchNorm → ReLU. Kept in this order with a biased convolution so the
/// integer export can fold BatchNorm's affine transform into the convolution's weights and bias.
/// </summary>
internal sealed class ConvBatchNormRelu : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly StableBatchNorm2d norm;

    public ConvBatchNormRelu(string name, long inChannels, long outChannels, long kernel, long stride)
        : base(name)
    {
        conv = nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: kernel / 2, bias: true);
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
