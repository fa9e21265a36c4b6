using SleepScoring.Training.Models;

using static TorchSharp.torch;

namespace SleepScoring.Training.Tests.Quantization;

/// <summary>EEG-like band images for export tests: per band a sine trace with noise, drawn as bright pixels.</summary>
internal static class TestEpochImages
{
    /// <summary>A small encoder and sequence model (16 × 120 images, dim 32) for quantization tests.</summary>
    public static ModelOptions SmallModel { get; } = new()
    {
        ImageHeight = 16,
        ImageWidth = 120,
        Derivations = 2,
        Segments = 6,
        StemChannels = 8,
        Dim = 32,
        Heads = 2,
        MlpDim = 64,
        EncoderLayers = 2,
        SequenceLayers = 1,
        Window = 3,
        Dropout = 0,
    };

    public static Tensor Create(ModelOptions options, int count, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[count * options.ImageHeight * options.ImageWidth];
        int band = options.ImageHeight / options.Derivations;
        for (int n = 0; n < count; n++)
        {
            for (int b = 0; b < options.Derivations; b++)
            {
                double f = 1 + (random.NextDouble() * 10), amplitude = random.NextDouble() * band / 2;
                for (int x = 0; x < options.ImageWidth; x++)
                {
                    double y = (band / 2.0) + (amplitude * Math.Sin(2 * Math.PI * f * x / options.ImageWidth)) + random.NextDouble() - 0.5;
                    int row = (b * band) + Math.Clamp((int)y, 0, band - 1);
                    pixels[(n * options.ImageHeight * options.ImageWidth) + (row * options.ImageWidth) + x] = 255;
                }
            }
        }

        return tensor(pixels, [count, options.ImageHeight, options.ImageWidth]);
    }
}
