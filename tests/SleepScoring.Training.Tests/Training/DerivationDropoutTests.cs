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
        float[][] night = RandomNight(3);
        byte[] silenced = Render(options, night);
        byte[] rendered = Render(options, [.. night.Select((d, i) => i == derivation ? new float[d.Length] : d)]);

        var silent = new SilentDerivation(options);
        silent.Silence(silenced, derivation);

        Assert.Equal(rendered, silenced);
        Assert.Equal((2, 128, 300), (silent.Derivations, silent.RowsPerDerivation, silent.Width));
    }

    [Fact]
    public void Band_dropout_silences_the_fast_views_of_both_derivations_and_nothing_else()
    {
        // Views: trace, 4-8, 8-13, 13-30, 30-45 Hz; the 30-45 Hz view (index 4) is what a 50-Hz recording lacks.
        var options = new NightImageOptions { ExtraViews = [.. NightImageOptions.DefaultExtraViews, NightImageOptions.MuscleView] };
        float[][] night = RandomNight(5);
        byte[] image = Render(options, night);
        byte[] flat = Render(options, [.. night.Select(d => new float[d.Length])]);
        var silent = new SilentDerivation(options);
        var dropout = new BandDropout(11, 0.3, silent, [4]);
        int sample = Enumerable.Range(0, 100).First(s => dropout.Dropped(0, s));
        byte[] dropped = [.. image];

        dropout.Apply(dropped, [sample], 0);

        int rows = options.Layout.StripHeight, width = 300;
        for (int strip = 0; strip < 10; strip++)
        {
            Range band = (strip * rows * width)..((strip + 1) * rows * width);
            byte[] expected = strip % 5 == 4 ? flat[band] : image[band];
            Assert.Equal(expected, dropped[band]);
        }

        Assert.NotEqual(image, dropped);
        double rate = Enumerable.Range(0, 20_000).Count(s => dropout.Dropped(2, s)) / 20_000.0;
        Assert.InRange(rate, 0.28, 0.32);
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

    [Fact]
    public void Band_silenced_windows_read_the_embeddings_of_band_silenced_images_at_the_asked_rate()
    {
        // Trace and a 30-45 Hz view per derivation: 2 × 2 strips of 32 rows.
        TorchRuntime.Configure(threads: 1, seed: 9);
        var imageOptions = new NightImageOptions { ExtraViews = [TraceView.Parse("30-45@5")] };
        ModelOptions options = ModelTests.SmallOptions() with { Window = 3, ImageHeight = 128, ImageWidth = 300, Segments = 15 };
        var silent = new SilentDerivation(imageOptions);
        var band = new BandDropout(5, 0.25, silent, [1]);
        EpochDataset dataset = StripeNights.Dataset(1, 40, options.ImageHeight, options.ImageWidth, 12);
        using var encoder = new EpochEncoder(options);
        using var windows = new EmbeddingWindows(encoder, dataset, options.Window, silent: silent, band: band);

        Assert.Equal((4, 3), (windows.Variants, windows.BandVariant!.Value)); // as recorded, each derivation silent, bands silent
        (Tensor input, Tensor target) = windows.Gather([new EpochRef(0, 1)], [3]);

        byte[] pixels = new byte[3 * silent.ImageBytes];
        for (int p = 0; p < 3; p++)
        {
            dataset.Nights[0].Image(p).CopyTo(pixels.AsSpan(p * silent.ImageBytes, silent.ImageBytes));
        }

        band.Silence(pixels);
        encoder.eval();
        using Tensor images = tensor(pixels, [3, options.ImageHeight, options.ImageWidth]);
        using Tensor expected = encoder.forward(images);
        using Tensor plain = encoder.forward(dataset.Images([new EpochRef(0, 0), new EpochRef(0, 1), new EpochRef(0, 2)]));
        Assert.True(input[0].allclose(expected, atol: 1e-5));
        Assert.False(input[0].allclose(plain, atol: 1e-3));
        input.Dispose();
        target.Dispose();

        // Stage 2 draws the band variant for windows that keep their derivations, at about the band rate.
        var source = new SequenceStageSource(windows, windows, dropout: new DerivationDropout(5, 0.2, silent), bandDropout: band);
        source.BeginPass(0);
        int drawn = 0, count = Math.Min(source.TrainingCount, 40);
        for (int i = 0; i < count; i++)
        {
            drawn += band.Dropped(0, i) && new DerivationDropout(5, 0.2, silent).Dropped(0, i) < 0 ? 1 : 0;
        }

        (Tensor batch, Tensor targets) = source.TrainingBatch([.. Enumerable.Range(0, count)]);
        int banded = Enumerable.Range(0, count).Count(i => batch[i].allclose(windows.Gather([dataset.ScoredEpochs.ElementAt(i)], [3]).Input[0], atol: 1e-6));
        Assert.InRange(drawn, 1, count - 1); // some windows drawn, not all
        Assert.Equal(drawn, banded);
        batch.Dispose();
        targets.Dispose();
    }

    /// <summary>Three epochs of two derivations of uniform noise in ±80 µV.</summary>
    private static float[][] RandomNight(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, 3 * ConditionedEpoch.Samples).Select(_ => (float)((random.NextDouble() * 160) - 80)).ToArray())];
    }

    /// <summary>The middle epoch of <paramref name="night"/> drawn as <paramref name="options"/> draw a model image.</summary>
    private static byte[] Render(NightImageOptions options, float[][] night)
    {
        var views = new EpochViews(options.Views, options.Layout.MicrovoltsPerHalfStrip);
        using IEpochImageRenderer renderer = ModelImageRenderers.Create(options.Layout, 2 * views.Count, options.DrawingMode);
        float[] samples = new float[2 * views.Count * ConditionedEpoch.Samples];
        byte[] image = new byte[renderer.ImageByteCount];
        views.Gather(night, 1, samples);
        renderer.Render(samples, image);
        return image;
    }
}
