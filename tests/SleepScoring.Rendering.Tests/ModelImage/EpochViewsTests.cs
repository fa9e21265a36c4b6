using SleepScoring.Analysis.Conditioning;
using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Rendering.Tests.ModelImage;

public sealed class EpochViewsTests
{
    private const int PerEpoch = ConditionedEpoch.Samples;

    [Fact]
    public void The_raw_view_is_the_epoch_itself()
    {
        float[] night = Sine(4 * PerEpoch, 3.0, 40f);
        var views = new EpochViews([TraceView.Parse("raw@100")], 100f);
        float[] destination = new float[PerEpoch];

        views.Gather([night], 2, destination);

        Assert.Equal(night.AsSpan(2 * PerEpoch, PerEpoch).ToArray(), destination);
    }

    [Fact]
    public void An_alpha_view_passes_alpha_at_the_butterworth_gain_and_drops_delta()
    {
        // 10.5 Hz at 5 µV plus 2 Hz at 50 µV. Forward-backward 4th-order digital Butterworth edges at
        // 8 and 13 Hz (bilinear, so frequencies warp as w = tan(π f / 100)):
        // |H(10.5)|² = 1/(1 + (w8/w10.5)^8) · 1/(1 + (w10.5/w13)^8) = 0.9091 · 0.8669 = 0.7881;
        // at 2 Hz, (w2/w8)^8 ≈ 1.3e−5. Drawn at 10 µV in a 100-µV image: gain 10.
        float[] alpha = Sine(5 * PerEpoch, 10.5, 5f);
        float[] delta = Sine(5 * PerEpoch, 2.0, 50f);
        float[] night = [.. alpha.Zip(delta, (a, d) => a + d)];
        var views = new EpochViews([TraceView.Parse("raw@100"), TraceView.Parse("8-13@10")], 100f);
        float[] destination = new float[2 * PerEpoch];

        views.Gather([night], 2, destination);

        Span<float> filtered = destination.AsSpan(PerEpoch, PerEpoch);
        double peak = 0;
        for (int i = 0; i < PerEpoch; i++)
        {
            double expected = 10 * 0.7881 * alpha[(2 * PerEpoch) + i];
            Assert.InRange(filtered[i] - expected, -1.0, 1.0);
            peak = Math.Max(peak, Math.Abs(filtered[i]));
        }

        Assert.InRange(peak, 10 * 0.7881 * 5 * 0.97, 10 * 0.7881 * 5 * 1.03);
    }

    [Fact]
    public void A_view_depends_only_on_the_epoch_and_its_context()
    {
        var random = new Random(5);
        float[] night = [.. Enumerable.Range(0, 6 * PerEpoch).Select(_ => (float)(random.NextDouble() * 60 - 30))];
        float[] cut = night[..((3 * PerEpoch) + TraceView.ContextSamples)];
        var views = new EpochViews([TraceView.Parse("raw@100"), TraceView.Parse("13-30@10")], 100f);
        float[] fromNight = new float[2 * PerEpoch], fromCut = new float[2 * PerEpoch];

        views.Gather([night], 2, fromNight);
        views.Gather([cut], 2, fromCut);

        Assert.Equal(fromNight, fromCut);
    }

    [Fact]
    public void A_derivation_gain_scales_every_view_of_that_derivation_only()
    {
        var random = new Random(11);
        float[] a = [.. Enumerable.Range(0, 4 * PerEpoch).Select(_ => (float)(random.NextDouble() * 60 - 30))];
        float[] b = [.. Enumerable.Range(0, 4 * PerEpoch).Select(_ => (float)(random.NextDouble() * 60 - 30))];
        var views = new EpochViews([TraceView.Parse("raw@100"), TraceView.Parse("8-13@10")], 100f);
        float[] plain = new float[4 * PerEpoch], gained = new float[4 * PerEpoch];

        views.Gather([a, b], 1, plain);
        views.Gather([a, b], [2f, 1f], 1, gained);

        // The views are linear filters, so doubling a derivation doubles each of its views (to float rounding).
        for (int i = 0; i < 2 * PerEpoch; i++)
        {
            Assert.Equal(2 * plain[i], gained[i], 3);
        }

        Assert.Equal(plain.AsSpan(2 * PerEpoch).ToArray(), gained.AsSpan(2 * PerEpoch).ToArray());
        Assert.Throws<ArgumentException>(() => views.Gather([a, b], [2f], 1, gained));
    }

    [Fact]
    public void Unscaled_strips_scaled_afterwards_equal_the_gathered_strips_bit_for_bit()
    {
        // Four views (three filtered, on vector lanes across both derivations), gains that round.
        var random = new Random(12);
        float[] a = [.. Enumerable.Range(0, 4 * PerEpoch).Select(_ => (float)(random.NextDouble() * 60 - 30))];
        float[] b = [.. Enumerable.Range(0, 4 * PerEpoch).Select(_ => (float)(random.NextDouble() * 60 - 30))];
        var views = new EpochViews([TraceView.Parse("raw@100"), TraceView.Parse("4-8@20"), TraceView.Parse("8-13@10"), TraceView.Parse("13-30@10")], 100f);
        DerivationWindow night = DerivationWindow.Whole([a, b]);
        float[] unscaled = new float[8 * PerEpoch], gathered = new float[8 * PerEpoch], scaled = new float[8 * PerEpoch];
        views.GatherUnscaled(night, 3, unscaled);

        foreach (float[] gains in new[] { new[] { 0.71f, 1.41f }, [1f, 1f], [0.36f, 2.83f] })
        {
            views.Gather(night, gains, 3, gathered);
            views.Scale(unscaled, gains, scaled);
            Assert.Equal(gathered, scaled);
        }

        views.Gather(night, 3, gathered);
        views.Scale(unscaled, [], scaled);
        Assert.Equal(gathered, scaled);
    }

    [Fact]
    public void An_empty_derivation_draws_as_a_silent_signal()
    {
        float[] a = Sine(3 * PerEpoch, 10, 20f);
        var views = new EpochViews([TraceView.Parse("raw@100"), TraceView.Parse("4-8@20")], 100f);
        float[] withZeros = new float[4 * PerEpoch], withEmpty = Enumerable.Repeat(9f, 4 * PerEpoch).ToArray();

        views.Gather([a, new float[a.Length]], 1, withZeros);
        views.Gather([a, []], 1, withEmpty);

        Assert.Equal(withZeros, withEmpty);
        Assert.All(withEmpty.AsSpan(2 * PerEpoch).ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Epochs_past_the_signal_are_zero_in_every_view()
    {
        float[] night = Sine(PerEpoch + 100, 10, 20f);
        var views = new EpochViews([TraceView.Parse("raw@100"), TraceView.Parse("8-13@10")], 100f);
        float[] destination = Enumerable.Repeat(7f, 2 * PerEpoch).ToArray();

        views.Gather([night], 2, destination);

        Assert.All(destination, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Several_derivations_on_vector_lanes_equal_each_view_cut_alone()
    {
        // Three derivations of different lengths (the last ends inside epoch 5) × four views: six to
        // twelve filter jobs per epoch, batched four at a time and flushed when the length changes.
        var random = new Random(8);
        float[][] night = [.. new[] { 6 * PerEpoch, 6 * PerEpoch, (5 * PerEpoch) + 1200 }.Select(n => Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 80) - 40)).ToArray())];
        TraceView[] views = [TraceView.Parse("raw@100"), TraceView.Parse("4-8@20"), TraceView.Parse("8-13@10"), TraceView.Parse("13-30@10")];
        var together = new EpochViews(views, 100f);
        EpochViews[] alone = [.. views.Select(v => new EpochViews([v], 100f))];

        foreach (int epoch in new[] { 0, 1, 4, 5 })
        {
            float[] batched = new float[3 * 4 * PerEpoch];
            together.Gather(night, epoch, batched);
            for (int d = 0; d < 3; d++)
            {
                for (int v = 0; v < 4; v++)
                {
                    float[] single = new float[PerEpoch];
                    alone[v].Gather([night[d]], epoch, single);
                    Assert.Equal(single, batched.AsSpan(((d * 4) + v) * PerEpoch, PerEpoch).ToArray());
                }
            }
        }
    }

    [Fact]
    public void A_band_edge_draws_the_views_starting_at_or_above_it_silent_and_leaves_the_others_as_they_were()
    {
        var random = new Random(21);
        float[][] night = [.. Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, 4 * PerEpoch).Select(_ => (float)((random.NextDouble() * 80) - 40)).ToArray())];
        TraceView[] views = [TraceView.Parse("raw@100"), TraceView.Parse("13-30@10"), TraceView.Parse("25-45@5"), TraceView.Parse("30-45@5")];
        float[] full = new float[2 * 4 * PerEpoch], narrow = new float[2 * 4 * PerEpoch];

        new EpochViews(views, 100f).Gather(night, [1f, 2f], 2, full);
        new EpochViews(views, 100f, bandEdge: 25).Gather(night, [1f, 2f], 2, narrow);

        for (int d = 0; d < 2; d++)
        {
            for (int v = 0; v < 4; v++)
            {
                float[] a = full.AsSpan(((d * 4) + v) * PerEpoch, PerEpoch).ToArray(), b = narrow.AsSpan(((d * 4) + v) * PerEpoch, PerEpoch).ToArray();
                if (v >= 2)
                {
                    // 25–45 starts at the edge and 30–45 above it: nothing the recording carries.
                    Assert.All(b, x => Assert.Equal(0f, x));
                    Assert.Contains(a, x => x != 0f);
                }
                else
                {
                    Assert.Equal(a, b);
                }
            }
        }
    }

    private static float[] Sine(int length, double hertz, float microvolts) =>
        [.. Enumerable.Range(0, length).Select(i => microvolts * (float)Math.Sin(2 * Math.PI * hertz * i / 100.0))];
}
