using SleepScoring.Analysis.Conditioning;
using SleepScoring.Analysis.Signals;
using SleepScoring.Rendering.ModelImage;

namespace SleepScoring.Rendering.Tests.ModelImage;

public sealed class DerivationWindowTests
{
    private const int PerEpoch = ConditionedEpoch.Samples;

    [Fact]
    public void Gather_FromABatchWindow_EqualsGatherFromTheWholeNight()
    {
        // Two derivations of different lengths (the second ends inside epoch 9), filtered views that
        // read context on both sides: every epoch gathered from a window loaded for its batch equals
        // the same epoch gathered from the arrays.
        var random = new Random(4);
        float[][] night = [[.. Enumerable.Range(0, (10 * PerEpoch) + 1234).Select(_ => (float)(random.NextDouble() * 100))], [.. Enumerable.Range(0, (9 * PerEpoch) + 17).Select(_ => (float)(random.NextDouble() * 100))]];
        var views = new EpochViews([TraceView.Parse("raw@100"), TraceView.Parse("8-13@10"), TraceView.Parse("0.5-2@100")], 100f);
        SampleStore<float>[] stores = [.. night.Select(d => new MemoryStore<float>(d))];
        DerivationWindow window = DerivationWindow.For(stores, 4);
        float[] expected = new float[6 * PerEpoch], actual = new float[6 * PerEpoch];

        for (int batch = 0; batch < 11; batch += 4)
        {
            int count = Math.Min(4, 11 - batch);
            window.Load(stores, batch, count);
            for (int epoch = batch; epoch < batch + count; epoch++)
            {
                views.Gather(night, epoch, expected);
                views.Gather(window, epoch, actual);
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public void Slice_OutsideTheLoadedBatch_Throws()
    {
        SampleStore<float>[] stores = [new MemoryStore<float>(new float[20 * PerEpoch])];
        DerivationWindow window = DerivationWindow.For(stores, 2);
        window.Load(stores, 10, 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => window.Slice(0, 2 * PerEpoch, PerEpoch).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => window.Load(stores, 0, 3));
    }
}
