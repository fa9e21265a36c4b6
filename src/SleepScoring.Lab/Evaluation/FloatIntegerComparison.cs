using System.Text.Json.Nodes;

using SleepScoring.Analysis;
using SleepScoring.CommandLine;
using SleepScoring.Inference.Explanation;
using SleepScoring.Model;
using SleepScoring.Training.Data;
using SleepScoring.Training.Metrics;
using SleepScoring.Training.Training;

namespace SleepScoring.Lab.Evaluation;

/// <summary>
/// Float and integer model on the same counted epochs: both confusion matrices, how often the
/// integer model names the float model's stage, and the calibration error of each one's confidence.
/// </summary>
internal sealed class FloatIntegerComparison
{
    private readonly List<double> floatConfidence = [];
    private readonly List<bool> floatCorrect = [];
    private readonly List<double> integerConfidence = [];
    private readonly List<bool> integerCorrect = [];
    private long agreeing;

    public ConfusionMatrix Float { get; } = new();

    public ConfusionMatrix Integer { get; } = new();

    public long Epochs => integerCorrect.Count;

    /// <summary>Adds the counted epochs of one night scored by both models.</summary>
    public void Add(NightImages night, float[,] floatProbabilities, float[,] integerProbabilities)
    {
        foreach (int p in NightScorer.CountedPositions(night, sleepPeriodOnly: true))
        {
            SleepStage truth = night.Stages[p];
            int f = NightScorer.MostProbable(floatProbabilities, p), i = NightScorer.MostProbable(integerProbabilities, p);
            Float.Add(truth, (SleepStage)f);
            Integer.Add(truth, (SleepStage)i);
            agreeing += f == i ? 1 : 0;
            floatConfidence.Add(floatProbabilities[p, f]);
            floatCorrect.Add(f == (int)truth);
            integerConfidence.Add(integerProbabilities[p, i]);
            integerCorrect.Add(i == (int)truth);
        }
    }

    /// <summary>Adds everything another comparison counted (for pooling folds).</summary>
    public void Add(FloatIntegerComparison other)
    {
        Float.Add(other.Float);
        Integer.Add(other.Integer);
        agreeing += other.agreeing;
        floatConfidence.AddRange(other.floatConfidence);
        floatCorrect.AddRange(other.floatCorrect);
        integerConfidence.AddRange(other.integerConfidence);
        integerCorrect.AddRange(other.integerCorrect);
    }

    /// <summary>Fraction of counted epochs on which both models name the same stage.</summary>
    public double Agreement => Epochs == 0 ? 0 : agreeing / (double)Epochs;

    /// <summary>Reliability of the integer model's confidence on the counted epochs (needs at least one).</summary>
    public CalibrationCurve IntegerCalibration() => CalibrationCurve.Measure(integerConfidence, integerCorrect);

    /// <summary>The report: integer metrics, agreement and both calibration errors.</summary>
    public JsonObject ToJson()
    {
        JsonObject integer = NightEvaluation.ToJson(StagingMetrics.From(Integer));
        integer["expected_calibration_error"] = Epochs == 0 ? null : CalibrationCurve.Measure(integerConfidence, integerCorrect).ExpectedCalibrationError;
        return new JsonObject
        {
            ["integer"] = integer,
            ["same_stage_as_float"] = Agreement,
            ["float_expected_calibration_error"] = Epochs == 0 ? null : CalibrationCurve.Measure(floatConfidence, floatCorrect).ExpectedCalibrationError,
        };
    }
}
