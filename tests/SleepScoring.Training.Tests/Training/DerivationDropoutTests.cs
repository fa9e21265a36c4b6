using SleepScoring.Analysis.Conditioning;
using SleepScoring.Rendering.ModelImage;
using SleepScoring.Training.Data;
using SleepScoring.Training.Models;
using SleepScoring.Training.Tests.Models;
using SleepScoring.Training.Training;

using static TorchSharp.torch;

namespace SleepScoring.Training.Tests.Training;

public sealed class DerivationDropoutTests
{
    private static readonly NightImageOptions TraceOnly = new() { ExtraViews = [] };

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Silencing_a_derivation_equals_rendering_it_as_a_flat_signal(int derivation)
    {
        // The shipped image: two derivations × four views; a random-looking epoch of both.
        var options = new NightImageOptions();
        var random = new Random(3);
        float[][] night = [.. Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, 3 * ConditionedEpoch.Samples).Select(_ => (float)((random.NextDouble() * 160) - 80)).ToArray())];
        float[][] flat = [.. night.Select((d, i) => i == derivation ? new float[d.Length] : d)];
        var views = new EpochViews(options.Views, options.Layout.MicrovoltsPerHalfStrip);
        using IEpochImageRenderer renderer = ModelImageRenderers.Create(options.Layout, 2 * views.Count, options.DrawingMode);
        float[] samples = new float[2 * views.Count * ConditionedEpoch.Samples];
        byte[] silenced = new byte[renderer.ImageByteCount], rendered = new byte[renderer.ImageByteCount];
        views.Gather(night, 1, samples);
        renderer.Render(samples, silenced);
        views.Gather(flat, 1, samples);
        renderer.Render(samples, rendered);

        var silent = new SilentDerivation(options);
        silent.Silence(silenced, derivation);

        Assert.Equal(rendered, silenced);
        Assert.Equal((2, 128, 300), (silent.Derivations, silent.RowsPerDerivation, silent.Width));
    }

    [Fact]
    public void Draws_are_a_function_of_seed_pass_and_sample_at_the_asked_rate()
    {
        var dropout = new DerivationDropout(7, 0.4, new SilentDerivation(TraceOnly));
        int[] draws = [.. Enumerable.Range(0, 20_000).Select(s => dropout.Dropped(3, s))];

        Assert.Equal(draws, Enumerable.Range(0, 20_000).Select(s => dropout.Dropped(3, s)));
        Assert.NotEqual(draws, Enumerable.Range(0, 20_000).Select(s => dropout.Dropped(4, s)));
        Assert.InRange(draws.Count(d => d >= 0) / 20_000.0, 0.38, 0.42);
        Assert.InRange(draws.Count(d => d == 0) / (double)draws.Count(d => d >= 0), 0.47, 0.53);
        Assert.All(draws, d => Assert.InRange(d, -1, 1));
        var never = new DerivationDropout(7, 0, new SilentDerivation(TraceOnly));
        Assert.All(Enumerable.Range(0, 1000), s => Assert.Equal(-1, never.Dropped(0, s)));
    }

    [Fact]
    public void Silenced_windows_read_the_embeddings_of_silenced_images()
    {
        TorchRuntime.Configure(threads: 1, seed: 9);
        ModelOptions options = ModelTests.SmallOptions() with { Window = 3, ImageHeight = 64, ImageWidth = 300, Segments = 15 };
        var silent = new SilentDerivation(TraceOnly);
        Assert.Equal(options.ImageHeight * options.ImageWidth, silent.ImageBytes);
        EpochDataset dataset = StripeNights.Dataset(1, 4, options.ImageHeight, options.ImageWidth, 12);
        using var encoder = new EpochEncoder(options);
        using var windows = new EmbeddingWindows(encoder, dataset, options.Window, silent: silent);

        (Tensor input, Tensor target) = windows.Gather([new EpochRef(0, 1), new EpochRef(0, 1)], [0, 2]);

        Assert.Equal(3, windows.Variants);
        NightImages night = silent.Silenced(dataset.Nights[0], 1);
        encoder.eval();
        using Tensor expected = encoder.forward(new EpochDataset([night]).Images([new EpochRef(0, 0), new EpochRef(0, 1), new EpochRef(0, 2)]));
        using Tensor plain = encoder.forward(dataset.Images([new EpochRef(0, 0), new EpochRef(0, 1), new EpochRef(0, 2)]));
        Assert.True(input[1].allclose(expected, atol: 1e-5));
        Assert.True(input[0].allclose(plain, atol: 1e-5));
        Assert.False(input[1].allclose(plain, atol: 1e-3));
        Assert.Equal(target[0].data<long>().ToArray(), target[1].data<long>().ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => windows.Gather([new EpochRef(0, 1)], [3]));
        input.Dispose();
        target.Dispose();
    }
}
