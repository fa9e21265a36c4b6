namespace SleepScoring.Model.Tests;

public sealed class CalibrationCurveTests
{
    [Fact]
    public void Ece_of_a_hand_example()
    {
        // 10 bins. Bin 9: confidences 0.95, 0.95 (mean 0.95), 1 of 2 right (0.5) → |0.5 − 0.95| = 0.45, weight 2/4.
        // Bin 6: confidences 0.65, 0.65, 2 of 2 right → |1 − 0.65| = 0.35, weight 2/4. ECE = 0.225 + 0.175 = 0.4.
        CalibrationCurve curve = CalibrationCurve.Measure([0.95, 0.95, 0.65, 0.65], [true, false, true, true], binCount: 10);

        Assert.Equal(0.4, curve.ExpectedCalibrationError, 10);
        Assert.Equal(2, curve.Bins[9].Count);
        Assert.Equal(0.5, curve.Bins[9].Accuracy);
    }

    [Fact]
    public void Perfectly_calibrated_outcomes_give_an_ece_near_zero()
    {
        var random = new Random(1);
        double[] confidence = Enumerable.Range(0, 200_000).Select(_ => 0.2 + (0.8 * random.NextDouble())).ToArray();
        bool[] correct = confidence.Select(c => random.NextDouble() < c).ToArray();

        // Within-bin spread adds nothing here: accuracy equals mean confidence in expectation per bin.
        Assert.InRange(CalibrationCurve.Measure(confidence, correct).ExpectedCalibrationError, 0, 0.01);
    }

    [Fact]
    public void Threshold_is_the_lowest_edge_from_which_every_bin_reaches_the_target()
    {
        // Bins (10): 0.55 → 1/2 right, 0.75 → 2/2, 0.95 → 2/2. Target 0.8: bins 7 and 9 pass, bin 5 fails.
        CalibrationCurve curve = CalibrationCurve.Measure([0.55, 0.55, 0.75, 0.75, 0.95, 0.95], [true, false, true, true, true, true], binCount: 10);

        Assert.Equal(0.6, curve.ThresholdFor(0.8), 10);
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => CalibrationCurve.Measure([0.5], [true, false]));
    }
}
